import NodeNet

/// §3.2: one request and its response exactly as they cross the wire, line by line, with each
/// line's CRLF shown, so the head, the blank line and the body can be seen.
@NodeActor func showTheWire() async {
    let server = startEventsServer(port: 0, host: "127.0.0.1")
    await until { done in server.once(.listening, done) }
    // excerpt: wire
    let request =
        "GET /index.html?lang=zh HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: http-events\r\nAccept: */*\r\n\r\n"
    let socket = net.connect(server.address()!.port)
    var response = ""
    socket.on(.data) { chunk in response += chunk.toString() }
    await until { done in
        socket.on(.data) { _ in if response.hasSuffix("\n") && response.contains("\r\n\r\n") { done() } }
        socket.write(request)
    }
    // end excerpt
    print("\n--- request (\(request.utf8.count) bytes) ---")
    printLines(request)
    print("--- response (\(response.utf8.count) bytes) ---")
    printLines(response)
    socket.destroy()
    server.close()
}

/// Prints each line with its ending made visible: `⏎` for CRLF, `↵` for a bare LF.
func printLines(_ text: String) {
    var line = ""
    for character in text {
        switch character {
        case "\r\n":
            print(line + "⏎")
            line = ""
        case "\n":
            print(line + "↵")
            line = ""
        default: line.append(character)
        }
    }
    if !line.isEmpty { print(line) }
}
