import Foundation
import TestSupport
import Testing

/// `websocket` as a user runs it, with peers nobody here wrote: Python's `websockets` both ways,
/// Node's own WebSocket client, and a headless Chromium running the book's page.
@Suite(.timeLimit(.minutes(2)))
struct WebSocketProgramTests {
    private let twins = repositoryRoot.appendingPathComponent("Chapters/04-websocket/node")

    /// The server on a free port, and that port.
    private func startServer() async throws -> (RunningProgram, Int) {
        let server = try RunningProgram.built("websocket", ["--port", "0"])
        let output = try await server.waitForOutput(containing: "WebSocket server on")
        let match = try #require(output.firstMatch(of: /ws:\/\/127\.0\.0\.1:(\d+)\/updates/))
        return (server, try #require(Int(match.1)))
    }

    @Test func pythonsClientGetsEveryKindOfMessageBack() async throws {
        let python = try await requirePythonModule("websockets")
        let (server, port) = try await startServer()
        defer { server.stop() }
        let script = """
            import asyncio, hashlib, os, sys, websockets
            async def main():
                url = "ws://127.0.0.1:\(port)/updates"
                async with websockets.connect(url, subprotocols=["chat", "superchat"], max_size=None) as ws:
                    print("subprotocol", ws.subprotocol)
                    await ws.send("你好"); print("text", await ws.recv())
                    await ws.send(b"\\x00\\xff"); print("binary", (await ws.recv()).hex())
                    await ws.send(["frag", "ment", "ed"]); print("fragments", await ws.recv())
                    await (await ws.ping(b"hi")); print("pong")
                    big = os.urandom(16 << 20)
                    await ws.send(big); back = await ws.recv()
                    print("16 MiB", hashlib.sha256(back).digest() == hashlib.sha256(big).digest())
                    await ws.close(4000, "bye")
                print("closed", ws.close_code, ws.close_reason)
            asyncio.run(main())
            """
        let client = try RunningProgram(python, ["-c", script])
        #expect(try await client.waitForExit(seconds: 90) == 0, "\(client.standardError)")
        #expect(
            client.standardOutput == """
                subprotocol chat
                text 你好
                binary 00ff
                fragments fragmented
                pong
                16 MiB True
                closed 4000 bye

                """)
        let log = try await server.waitForOutput(containing: "closed: 4000")
        #expect(log.contains("#1 text (6 bytes): 你好"))
        #expect(log.contains("#1 binary (16777216 bytes)"))
        #expect(log.contains("#1 closed: 4000 \"bye\""))
    }

    @Test func theSwiftClientTalksToPythonsServer() async throws {
        let python = try await requirePythonModule("websockets")
        let script = """
            import asyncio, websockets
            async def echo(ws):
                async for message in ws:
                    await ws.send(message)
            async def main():
                async with websockets.serve(echo, "127.0.0.1", 0, subprotocols=["superchat"]) as server:
                    print("port", server.sockets[0].getsockname()[1], "open", flush=True)
                    await asyncio.Future()
            asyncio.run(main())
            """
        let server = try RunningProgram(python, ["-u", "-c", script])
        defer { server.stop() }
        let output = try await server.waitForOutput(containing: " open")
        let port = try #require(output.firstMatch(of: /port (\d+) open/)?.1)
        let client = try RunningProgram.built(
            "websocket", ["client", "ws://127.0.0.1:\(port)/", "--count", "3"])
        #expect(try await client.waitForExit() == 0, "\(client.standardError)")
        #expect(
            client.standardOutput == """
                client: open, subprotocol: superchat
                client: echoed: {"update":1}
                client: echoed: {"update":2}
                client: echoed: {"update":3}
                client: closed: 1000 done

                """)
    }

    @Test func aHeadlessBrowserRunsTheBooksClient() async throws {
        let chromium = try requirePeer("chromium")
        let (server, port) = try await startServer()
        defer { server.stop() }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID())")
        defer { try? FileManager.default.removeItem(at: profile) }
        let browser = try RunningProgram(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr",
                "--v=0",
                "--user-data-dir=\(profile.path)", "http://127.0.0.1:\(port)/?count=5",
            ])
        defer { browser.stop() }
        // The server saw the page's five updates and its clean close…
        let log = try await server.waitForOutput(containing: "closed: 1000 \"done\"", seconds: 60)
        for update in 1...5 { #expect(log.contains("#1 text (12 bytes): {\"update\":\(update)}")) }
        #expect(log.contains("subprotocol: chat"))
        // …and the page saw every echo come back (its console, as Chromium logs it).
        let console = try await browser.waitForErrorOutput(containing: "closed: 1000 done")
        for update in 1...5 { #expect(console.contains("echoed: {\"update\":\(update)}")) }
    }

    /// Ports and random keys differ from run to run; the rest must not.
    private func masked(_ text: String) -> String {
        text.replacing(/:\d{2,5}/, with: ":PORT")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                let key =
                    /(Sec-WebSocket-Key: |Sec-WebSocket-Accept: |key  +|key \+ GUID +|SHA-1 +|base64 +)\S+/
                return line.contains("dGhlIHNhbXBsZSBub25jZQ") || line.contains("s3pPLMBi")
                    || line.contains("b37a4f2c")
                    ? String(line) : String(line).replacing(key) { "\($0.1)X" }
            }
            .joined(separator: "\n")
    }

    @Test(arguments: [["handshake"], ["client", "--count", "3"]])
    func theSwiftProgramPrintsWhatItsNodeTwinPrints(arguments: [String]) async throws {
        let node = try requirePeer("node")
        let twin = arguments[0] == "handshake" ? "handshake.js" : "client.js"
        let swift = try RunningProgram.built("websocket", arguments)
        let nodeTwin = try RunningProgram(
            node, [twins.appendingPathComponent(twin).path] + arguments.dropFirst())
        #expect(try await swift.waitForExit() == 0, "\(swift.standardError)")
        #expect(try await nodeTwin.waitForExit() == 0, "\(nodeTwin.standardError)")
        // The server's lines and the client's interleave as timing has it; each side's own
        // lines must come in the same order.
        let sides = [
            "==", "WebSocket server", "connection", "client: ", "#", "<", ">", "key", "SHA", "base64",
            "the server", "with the",
        ]
        for side in sides {
            let lines = { (output: String) in
                self.masked(output).split(separator: "\n").filter { $0.hasPrefix(side) }
            }
            #expect(lines(swift.standardOutput) == lines(nodeTwin.standardOutput), "lines starting \(side)")
        }
        #expect(swift.standardOutput.contains("connection #1"), "the programs ran: \(swift.standardOutput)")
    }

    @Test func nodesWebSocketTalksToTheSwiftServerAndTheSwiftClientToNodes() async throws {
        let node = try requirePeer("node")
        let (swiftServer, swiftPort) = try await startServer()
        defer { swiftServer.stop() }
        let nodeServer = try RunningProgram(node, [twins.appendingPathComponent("server.js").path, "0"])
        defer { nodeServer.stop() }
        let output = try await nodeServer.waitForOutput(containing: "WebSocket server on")
        let nodePort = try #require(output.firstMatch(of: /ws:\/\/127\.0\.0\.1:(\d+)\/updates/)?.1)

        let nodeClient = try RunningProgram(
            node,
            [
                twins.appendingPathComponent("client.js").path, "ws://127.0.0.1:\(swiftPort)/updates",
                "--count", "3",
            ])
        let swiftClient = try RunningProgram.built(
            "websocket", ["client", "ws://127.0.0.1:\(nodePort)/updates", "--count", "3"])
        #expect(try await nodeClient.waitForExit() == 0, "\(nodeClient.standardError)")
        #expect(try await swiftClient.waitForExit() == 0, "\(swiftClient.standardError)")
        #expect(nodeClient.standardOutput == swiftClient.standardOutput)
        #expect(
            nodeClient.standardOutput.hasSuffix("client: echoed: {\"update\":3}\nclient: closed: 1000 done\n")
        )
        let swiftLog = try await swiftServer.waitForOutput(containing: "closed: 1000")
        let nodeLog = try await nodeServer.waitForOutput(containing: "closed: 1000")
        #expect(masked(swiftLog) == masked(nodeLog))
    }

    @Test func aPageFromAnotherSiteIsRefusedAndTheServersOwnPageIsLetIn() async throws {
        let (server, port) = try await startServer()
        defer { server.stop() }
        func handshake(origin: String?) -> String {
            "GET /updates HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin.map { "Origin: \($0)\r\n" } ?? "") + "Cookie: session=the-users\r\n\r\n"
        }
        // What a script on another site makes the user's browser send: its Origin, our cookie.
        let hijack = try PlainTCPClient(port: port)
        hijack.send(handshake(origin: "http://evil.example"))
        let body = "Pages from http://evil.example may not connect here\n"
        let refusal =
            "HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        #expect(String(decoding: hijack.receive(refusal.utf8.count), as: UTF8.self) == refusal)
        #expect(hijack.peerClosed())
        try await server.waitForOutput(containing: "refused a WebSocket for a page from http://evil.example")
        // The server's own page (Origin = its Host), and a client that is no browser (no Origin).
        for origin in ["http://127.0.0.1:\(port)", nil] {
            let client = try PlainTCPClient(port: port)
            client.send(handshake(origin: origin))
            let head = String(decoding: client.receive(34), as: UTF8.self)
            #expect(head == "HTTP/1.1 101 Switching Protocols\r\n", "origin \(origin ?? "none")")
        }
    }

    @Test func aBrokenFrameIsRefusedWithItsCloseCodeAndTheServerServesOn() async throws {
        let (server, port) = try await startServer()
        defer { server.stop() }
        let handshake =
            "GET /updates HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let accepted = Array(
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").utf8)
        // An unmasked text frame: clients must mask, so the server closes with 1002 (03 EA).
        let bad = try PlainTCPClient(port: port)
        bad.send(Array(handshake.utf8) + [0x81, 0x02, 0x68, 0x69])
        #expect(bad.receive(accepted.count + 5) == accepted + [0x88, 0x02, 0x03, 0xEA])
        #expect(bad.peerClosed())
        // The server still serves the next client: a masked "hi" comes back unmasked.
        let good = try PlainTCPClient(port: port)
        good.send(Array(handshake.utf8) + [0x81, 0x82, 1, 2, 3, 4, 0x68 ^ 1, 0x69 ^ 2])
        #expect(good.receive(accepted.count + 4) == accepted + [0x81, 0x02, 0x68, 0x69])
    }
}
