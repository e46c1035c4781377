import NodeNet

/// §3.3: an HTTP server that prints each of its events as it fires, with the connection it came
/// on, and answers every request with a short page.
@NodeActor func startEventsServer(
    port: Int, host: String, onListening: @escaping @NodeActor (Int) -> Void = { _ in }
)
    -> HTTPServer
{
    let connections = ConnectionNumbers()

    // excerpt: request
    let server = http.createServer { req, res in
        let id = connections.request(on: req.socket)
        // Counted now: requests that arrive together all fire `request` before any fires `end`.
        let nth = connections.requests(on: req.socket)
        print("request #\(id) \(req.method) \(req.url) HTTP/\(req.httpVersion)")
        req.on(.data) { _ in }
        req.on(.end) {
            res.setHeader("Content-Type", "text/plain; charset=utf-8")
            res.end("hello from http-events: request \(nth) on connection #\(id)\n")
        }
    }
    // end excerpt

    // excerpt: connection
    server.on(.connection) { socket in
        let id = connections.open(socket)
        print("connection #\(id) from \(socket.remoteAddress ?? "?"):\(socket.remotePort ?? 0)")
        socket.on(.close) { _ in
            print("connection #\(id) closed after \(connections.requests(on: socket)) request(s)")
            connections.forget(socket)
        }
    }
    // end excerpt

    // excerpt: checkContinue
    server.on(.checkContinue) { req, res in
        let id = connections.request(on: req.socket)
        let length = Int(req.headers["content-length"] ?? "") ?? 0
        let line =
            "checkContinue #\(id) \(req.method) \(req.url) HTTP/\(req.httpVersion) (Content-Length: \(length))"
        guard length <= uploadLimit else {
            // Refusing is our choice of status; the client then never sends the body.
            print("\(line) → 417")
            res.writeHead(417)
            res.end()
            return
        }
        print("\(line) → 100 Continue")
        res.writeContinue()
        var received = 0
        req.on(.data) { chunk in received += chunk.count }
        req.on(.end) { res.end("received \(received) bytes\n") }
    }
    // end excerpt

    server.on(.checkExpectation) { req, res in
        let id = connections.request(on: req.socket)
        print(
            "checkExpectation #\(id) \(req.method) \(req.url) HTTP/\(req.httpVersion) (Expect: \(req.headers["expect"] ?? "")) → 417"
        )
        res.writeHead(417)
        res.end()
    }

    // excerpt: connect
    server.on(.connect) { req, socket, head in
        let id = connections.request(on: socket)
        print("connect #\(id) CONNECT \(req.url) HTTP/\(req.httpVersion) → tunnel")
        openTunnel(from: socket, to: req.url, head: head)
    }
    // end excerpt

    // excerpt: upgrade
    server.on(.upgrade) { req, socket, head in
        let id = connections.request(on: socket)
        let proto = req.headers["upgrade"] ?? ""
        guard proto.lowercased() == "echo" else {
            print("upgrade #\(id) \(req.method) \(req.url) HTTP/\(req.httpVersion) (Upgrade: \(proto)) → 400")
            socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
            return
        }
        print("upgrade #\(id) \(req.method) \(req.url) HTTP/\(req.httpVersion) (Upgrade: \(proto)) → 101")
        socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
        // From here on the bytes are not HTTP: this toy protocol sends every byte back.
        if !head.isEmpty { socket.write(head) }
        socket.on(.data) { chunk in socket.write(chunk) }
        socket.on(.end) { socket.end() }
        // The socket is ours now, errors included: a reset client must not end the server.
        socket.on(.error) { _ in socket.destroy() }
    }
    // end excerpt

    // excerpt: clientError
    server.on(.clientError) { error, socket in
        let id = connections.number(of: socket)
        let status =
            switch error.code {
            case "HPE_HEADER_OVERFLOW": 431
            case "ERR_HTTP_REQUEST_TIMEOUT": 408
            default: 400
            }
        print("clientError #\(id) \(error.code) → \(socket.bytesWritten == 0 ? "\(status)" : "closed")")
        // Node's default answers while no response is on the wire; simpler here: only while
        // nothing at all was written on this connection. Then close.
        if socket.bytesWritten == 0 && !socket.destroyed {
            socket.write("HTTP/1.1 \(status) \(http.STATUS_CODES[status]!)\r\nConnection: close\r\n\r\n")
        }
        socket.destroy()
    }
    // end excerpt

    server.on(.error) { error in print("server error: \(error.message)") }
    server.listen(port, host) {
        let port = server.address()!.port
        print("listening on http://\(host):\(port)/")
        onListening(port)
    }
    return server
}

/// Uploads bigger than this are refused at `checkContinue`.
let uploadLimit = 1024

/// A CONNECT tunnel: a TCP connection to `target` (host:port), joined to the client's socket.
@NodeActor func openTunnel(from client: Socket, to target: String, head: Buffer) {
    let parts = target.split(separator: ":")
    guard parts.count == 2, let port = Int(parts[1]), (0...65535).contains(port) else {
        client.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
        return
    }
    let upstream = net.connect(port, String(parts[0]))
    upstream.on(.connect) {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
        if !head.isEmpty { upstream.write(head) }
        client.on(.data) { upstream.write($0) }
        upstream.on(.data) { client.write($0) }
        client.on(.end) { upstream.end() }
        upstream.on(.end) { client.end() }
    }
    upstream.on(.error) { error in
        if client.bytesWritten == 0 { client.write("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n") }
        client.end()
        print("tunnel to \(target) failed: \(error.code)")
    }
    client.on(.error) { _ in upstream.destroy() }
}

/// Numbers each connection in the order it arrived, and counts its requests.
@NodeActor final class ConnectionNumbers {
    private var numbers: [ObjectIdentifier: Int] = [:]
    private var counts: [ObjectIdentifier: Int] = [:]
    private var last = 0

    func open(_ socket: Socket) -> Int {
        last += 1
        numbers[ObjectIdentifier(socket)] = last
        return last
    }

    func number(of socket: Socket) -> Int { numbers[ObjectIdentifier(socket)] ?? 0 }

    /// Counts one more request on `socket`; returns the connection's number.
    func request(on socket: Socket) -> Int {
        counts[ObjectIdentifier(socket), default: 0] += 1
        return number(of: socket)
    }

    func requests(on socket: Socket) -> Int { counts[ObjectIdentifier(socket)] ?? 0 }

    /// Drops a closed socket's numbers. Node's WeakMap forgets by itself; here the entries would
    /// pile up, and a later socket at the same address would inherit them.
    func forget(_ socket: Socket) {
        numbers[ObjectIdentifier(socket)] = nil
        counts[ObjectIdentifier(socket)] = nil
    }
}
