#!/usr/bin/env python3
"""The editor sees the student's kata files: asks SourceKit-LSP, as VS Code's Swift extension does.

Run after `swift build` (the default manifest builds the student's files as the module
`Exercises`). It opens a student's file and checks three things an editor shows:
  1. hover over `Buffer` shows NodeNet's doc comment;
  2. go-to-definition of a kata type used in another student file leads to the student's own file,
     never to Exercises/Solutions;
  3. a mistake typed into the file (not saved) gets an error diagnostic.
Exits non-zero, saying which, when one of them fails. Usage: .ci/check-editor.py [package root]
"""
import json
import os
import subprocess
import sys
import threading
import time

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
student_file = os.path.join(root, "Exercises/01-tcp/LineSplitter.swift")
user_file = os.path.join(root, "Exercises/04-websocket/MessageAssembler.swift")
DEADLINE = 240  # seconds for the whole check; the first request waits for SourceKit to load modules

lsp = subprocess.Popen(
    ["sourcekit-lsp", "--scratch-path", os.path.join(root, ".build")],
    cwd=root,
    stdin=subprocess.PIPE,
    stdout=subprocess.PIPE,
    stderr=subprocess.DEVNULL,
)
messages = {}
diagnostics = {}
lock = threading.Condition()


def reader():
    while True:
        headers = {}
        while True:
            line = lsp.stdout.readline()
            if not line:
                return
            line = line.decode().strip()
            if not line:
                break
            key, value = line.split(":", 1)
            headers[key.lower()] = value.strip()
        body = json.loads(lsp.stdout.read(int(headers["content-length"])))
        with lock:
            if "id" in body and "method" not in body:
                messages[body["id"]] = body
            elif body.get("method") == "textDocument/publishDiagnostics":
                diagnostics[body["params"]["uri"]] = body["params"]["diagnostics"]
            elif "id" in body and "method" in body:
                send({"jsonrpc": "2.0", "id": body["id"], "result": None})  # server requests
            lock.notify_all()


def send(message):
    data = json.dumps(message).encode()
    lsp.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
    lsp.stdin.flush()


next_id = 0


def request(method, params):
    global next_id
    next_id += 1
    ident = next_id
    send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
    with lock:
        lock.wait_for(lambda: ident in messages, timeout=max(1, DEADLINE - (time.time() - start)))
    if ident not in messages:
        fail(f"SourceKit-LSP did not answer {method}")
    return messages[ident].get("result")


def fail(why):
    print(f"check-editor: FAILED: {why}")
    lsp.kill()
    sys.exit(1)


def uri(path):
    return "file://" + path


def position_of(text, needle, within=None):
    """Where `needle` is, in the first place `within` (default: `needle`) occurs."""
    index = text.index(within or needle)
    index += (within or needle).index(needle)
    line = text.count("\n", 0, index)
    return {"line": line, "character": index - (text.rfind("\n", 0, index) + 1)}


start = time.time()
threading.Thread(target=reader, daemon=True).start()
request("initialize", {"processId": os.getpid(), "rootUri": uri(root), "capabilities": {}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

text = open(student_file).read()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
    "textDocument": {"uri": uri(student_file), "languageId": "swift", "version": 1, "text": text}}})

# 1. Hover over `Buffer` in the student's file: SourceKit must know NodeNet there. The first
# answers can be empty while SourceKit loads the module, so ask until the deadline.
hover = None
while time.time() - start < DEADLINE:
    hover = request("textDocument/hover", {
        "textDocument": {"uri": uri(student_file)}, "position": position_of(text, "Buffer")})
    if hover and "Buffer" in json.dumps(hover):
        break
    time.sleep(2)
shown = json.dumps(hover)
if "Buffer" not in shown or "byte" not in shown.lower():
    fail(f"hover over Buffer in {os.path.relpath(student_file, root)} showed {shown[:300]}")
print("check-editor: hover over Buffer in the student's LineSplitter.swift shows NodeNet's doc comment")

# 2. Go to definition from one student file to a type another student file declares.
user_text = open(user_file).read()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
    "textDocument": {"uri": uri(user_file), "languageId": "swift", "version": 1, "text": user_text}}})
target = "WebSocketFrame"
if target not in user_text:
    fail(f"{os.path.relpath(user_file, root)} no longer uses {target}: update this check")
found = None
while time.time() - start < DEADLINE:
    found = request("textDocument/definition", {
        "textDocument": {"uri": uri(user_file)}, "position": position_of(user_text, target, within="frame: " + target)})
    if found:
        break
    time.sleep(2)
places = [place.get("uri", place.get("targetUri", "")) for place in (found if isinstance(found, list) else [found] if found else [])]
if not places or any("/Solutions/" in place for place in places) or not all("/Exercises/" in place for place in places):
    fail(f"go to definition of {target} in {os.path.relpath(user_file, root)} led to {places}")
print(f"check-editor: go to definition of {target} leads to {os.path.relpath(places[0][len('file://'):], root)}")

# 3. A mistake typed (not saved) into the student's file gets an error.
broken = text.replace("[]\n", "[] + undefinedName\n", 1)
send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
    "textDocument": {"uri": uri(student_file), "version": 2}, "contentChanges": [{"text": broken}]}})
report = request("textDocument/diagnostic", {"textDocument": {"uri": uri(student_file)}})
errors = [item for item in (report or {}).get("items", []) if item.get("severity") == 1]
if not any("undefinedName" in item.get("message", "") for item in errors):
    with lock:
        lock.wait_for(lambda: any("undefinedName" in item.get("message", "") for item in diagnostics.get(uri(student_file), [])), timeout=30)
        errors = diagnostics.get(uri(student_file), [])
    if not any("undefinedName" in item.get("message", "") for item in errors):
        fail(f"a typed mistake in LineSplitter.swift got no error diagnostic ({report})")
print("check-editor: a mistake typed into the student's file is reported as an error")

request("shutdown", None)
send({"jsonrpc": "2.0", "method": "exit"})
lsp.wait(timeout=10)
print(f"check-editor: passed in {time.time() - start:.0f} s")
