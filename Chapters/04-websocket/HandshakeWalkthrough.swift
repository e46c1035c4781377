import NodeNet

/// §4.1: how the server computes `Sec-WebSocket-Accept`, for the RFC's sample key and with the
/// book's GUID; then a live handshake with our server, byte for byte, and the book's own request.
@NodeActor func showTheHandshake() async {
    print("== §4.1 Sec-WebSocket-Accept, step by step (RFC 6455's sample key) ==")
    let sample = "dGhlIHNhbXBsZSBub25jZQ=="
    explainAccept(for: sample)
    // The book's GUID lost a group of digits: the value a client computes never matches.
    let booksGUID = "258EAFA5-E914-47DA-C5AB0DCB5B11"
    let booksAccept = try! crypto.createHash("sha1").update(sample + booksGUID).digest(.base64)
    print("with the book's GUID \(booksGUID): \(booksAccept), which every client refuses")

    var server: HTTPServer?
    let port = await until { done in
        server = startUpdatesServer(port: 0, host: "127.0.0.1", onListening: done)
    }

    print("\n== §4.1 a live handshake with the updates server ==")
    let key = WebSocketHandshake.newKey()
    let request = [
        "GET /updates HTTP/1.1", "Host: 127.0.0.1:\(port)", "Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Key: \(key)", "Sec-WebSocket-Protocol: chat, superchat", "Sec-WebSocket-Version: 13",
    ]
    let answer = await exchange(request, port: port)
    let accept = answer.first { $0.lowercased().hasPrefix("sec-websocket-accept:") }?.split(separator: " ")
        .last
    explainAccept(for: key)
    print(
        "the server's answer matches: \(accept.map(String.init) == WebSocketHandshake.accept(for: key) ? "yes" : "no")"
    )

    print("\n== §4.1 the book's request as printed: its key lacks its \"==\" ==")
    _ = await exchange(
        [
            "GET /updates HTTP/1.1", "Host: 127.0.0.1:\(port)", "Upgrade: webSocket", "Connection: Upgrade",
            "sec-WebSocket-key: dGhlIHNhbXBsZSBub25jZQ", "sec-WebSocket-protocol: chat, superchat",
            "sec-WebSocket-Version: 13",
        ], port: port)
    if let server { await until { done in server.close { _ in done() } } }
}

/// Prints each step from the key to the accept value.
@NodeActor func explainAccept(for key: String) {
    let joined = key + WebSocketHandshake.guid
    // excerpt: accept
    let digest = try! crypto.createHash("sha1").update(key + WebSocketHandshake.guid).digest()
    let accept = digest.toString(.base64)
    // end excerpt
    print("key          \(key)")
    print("key + GUID   \(joined)")
    print("SHA-1        \(digest.toString(.hex))")
    print("base64       \(accept)")
}

/// Sends a request's lines over a plain TCP connection and prints both sides; returns the
/// answer's head, line by line.
@NodeActor func exchange(_ lines: [String], port: Int) async -> [String] {
    for line in lines { print("> \(line)") }
    return await until { done in
        let socket = net.connect(port, "127.0.0.1")
        var received = Buffer([UInt8]())
        socket.on(.data) { chunk in
            received = Buffer.concat([received, chunk])
            // The head ends at the blank line; a refusal's short body comes with it.
            var answer = received.toString().split(separator: "\r\n", omittingEmptySubsequences: false)
            guard answer.contains("") else { return }
            if answer.last == "" { answer.removeLast() }
            for line in answer { print(line.isEmpty ? "<" : "< \(line)") }
            socket.destroy()
            done(answer.map(String.init))
        }
        socket.write(lines.joined(separator: "\r\n") + "\r\n\r\n")
    }
}
