import NodeNet

/// §4: the book's server at `ws://127.0.0.1:12010/updates`. It echoes every message unchanged
/// (text as text, binary as binary), so any client can test against it, and `GET /` serves a
/// page that runs the book's client in a browser.
@NodeActor func startUpdatesServer(
    port: Int, host: String, onListening: @escaping @NodeActor (Int) -> Void = { _ in }
) -> HTTPServer {
    // excerpt: page
    let server = http.createServer { req, res in
        guard req.url == "/" || req.url.hasPrefix("/?") else {
            res.writeHead(404, ["Content-Type": "text/plain"])
            res.end("Not here: the page is at /, the WebSocket at /updates\n")
            return
        }
        res.setHeader("Content-Type", "text/html; charset=utf-8")
        res.end(booksClientPage)
    }
    // end excerpt

    // excerpt: origin
    // A browser opens a WebSocket wherever a page asks, sending this server's cookies: a page
    // on any other site could talk to us as our user. So only our own pages may connect.
    let onlyOurPages = ClientVerification.verdict { info in
        guard let origin = info.origin else { return .accept }  // no browser, no page to fear
        if origin == "http://\(info.req.headers["host"] ?? "")" { return .accept }
        print("refused a WebSocket for a page from \(origin)")
        return .refuse(status: 403, message: "Pages from \(origin) may not connect here\n")
    }
    // end excerpt

    // excerpt: server
    let wss = WebSocketServer(
        server: server, path: "/updates", protocols: ["chat", "superchat"], verifyClient: onlyOurPages)
    var connections = 0
    wss.on(.connection) { ws, req in
        connections += 1
        let id = connections
        let peer = "\(req.socket.remoteAddress ?? "?"):\(req.socket.remotePort ?? 0)"
        print("connection #\(id) from \(peer), subprotocol: \(ws.protocol.isEmpty ? "none" : ws.protocol)")
        ws.on(.message) { message in
            print("#\(id) \(describe(message))")
            ws.send(message)
        }
        ws.on(.close) { event in
            let reason = event.reason.isEmpty ? "" : " \"\(event.reason)\""
            print("#\(id) closed: \(event.code)\(reason)\(event.wasClean ? "" : " (not clean)")")
        }
    }
    // end excerpt

    server.listen(port, host) {
        let bound = server.address()?.port ?? port
        print(
            "WebSocket server on ws://\(host):\(bound)/updates; the book's client: http://\(host):\(bound)/")
        onListening(bound)
    }
    return server
}

/// A message in one line: its kind, its size, and its start.
func describe(_ message: WebSocketMessage) -> String {
    switch message {
    case .text(let text):
        let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
        return "text (\(text.utf8.count) bytes): \(shown)"
    case .binary(let bytes):
        let shown = bytes.prefix(8).map { Buffer([$0]).toString(.hex) }.joined(separator: " ")
        return "binary (\(bytes.count) bytes): \(shown)\(bytes.count > 8 ? " …" : "")"
    }
}
