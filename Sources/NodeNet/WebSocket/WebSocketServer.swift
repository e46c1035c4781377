/// A WebSocket server, shaped like the `ws` library's `WebSocketServer` (Node has none built in):
/// it answers the upgrade requests of an HTTP server and hands each new connection to
/// `connection`.
///
/// Events: `connection(ws, req)`, `listening` and `error` (standalone only), `close`.
@NodeActor public final class WebSocketServer: EventEmitter {
    /// The HTTP server whose `upgrade` requests this server answers.
    public let httpServer: HTTPServer
    /// Only upgrades to this path are accepted (others get 400); nil accepts every path.
    public let path: String?
    /// The subprotocols this server speaks: it chooses the first the client offers that is here.
    public let protocols: [String]
    /// The limits of each connection.
    public let options: WebSocketOptions
    /// The open connections.
    public private(set) var clients: [WebSocket] = []
    private var standalone = false
    private var closed = false

    /// Serves WebSocket upgrades on `server`, which goes on serving ordinary requests
    /// (`new WebSocketServer({ server, path })` in `ws`).
    public init(
        server: HTTPServer, path: String? = nil, protocols: [String] = [],
        options: WebSocketOptions = WebSocketOptions()
    ) {
        httpServer = server
        self.path = path
        self.protocols = protocols
        self.options = options
        super.init()
        // The listener keeps this server alive as long as the HTTP server, as in Node, where the
        // program need not keep a reference to it.
        server.on(.upgrade) { req, socket, head in
            guard !self.closed else { return socket.destroy() }
            self.handleUpgrade(req, socket, head) { ws in self.emit(.connection, (ws, req)) }
        }
    }

    /// A server of its own on `port` (`new WebSocketServer({ port })` in `ws`): requests that are
    /// not upgrades get `426 Upgrade Required`. `callback` is added as a `listening` listener.
    public convenience init(
        port: Int, host: String? = nil, path: String? = nil, protocols: [String] = [],
        options: WebSocketOptions = WebSocketOptions(), _ callback: (@NodeActor () -> Void)? = nil
    ) {
        let server = http.createServer { _, res in
            res.writeHead(426, ["Content-Type": "text/plain"])
            res.end(http.STATUS_CODES[426] ?? "Upgrade Required")
        }
        self.init(server: server, path: path, protocols: protocols, options: options, standalone: true)
        if let callback { once(.listening, callback) }
        server.on(.listening) { [weak self] in self?.emit(.listening) }
        server.on(.error) { [weak self] error in self?.emit(.error, error) }
        server.listen(port, host)
    }

    private convenience init(
        server: HTTPServer, path: String?, protocols: [String], options: WebSocketOptions, standalone: Bool
    ) {
        self.init(server: server, path: path, protocols: protocols, options: options)
        self.standalone = standalone
    }

    /// The address the HTTP server listens on.
    public func address() -> AddressInfo? {
        httpServer.address()
    }

    /// Checks an upgrade request and answers it: `101` and a ``WebSocket`` for `callback`, or
    /// the refusal (`400`, `405`, `426`) and the socket closed. For programs that route upgrades
    /// themselves (`wss.handleUpgrade` in `ws`).
    public func handleUpgrade(
        _ req: IncomingMessage, _ socket: Socket, _ head: Buffer,
        _ callback: @escaping @NodeActor (WebSocket) -> Void
    ) {
        let requestPath = String(req.url.prefix { $0 != "?" })
        var refusal = WebSocketHandshake.check(req)
        if refusal == nil, let path, requestPath != path {
            refusal = WebSocketHandshake.Refusal(
                status: 400, message: "No WebSocket service at \(requestPath)")
        }
        if let refusal {
            socket.end(Buffer(refusal.response)) { socket.destroy() }
            return
        }
        let offered = WebSocketHandshake.offeredProtocols(req.headers["sec-websocket-protocol"]) ?? []
        let chosen = offered.first { protocols.contains($0) }
        socket.write(
            WebSocketHandshake.response(key: req.headers["sec-websocket-key"] ?? "", protocol: chosen))
        let ws = WebSocket(url: req.url, isServer: true, options: options)
        ws.attach(socket, head: head, protocol: chosen ?? "")
        clients.append(ws)
        ws.once(.close) { [weak self] _ in self?.clients.removeAll { $0 === ws } }
        callback(ws)
    }

    /// Stops accepting upgrades; open connections stay open (as in `ws` 8). A standalone server
    /// also closes its HTTP server, and `close` fires once its connections have ended.
    public func close(_ callback: (@NodeActor () -> Void)? = nil) {
        closed = true
        if let callback { once(.close, callback) }
        if standalone {
            httpServer.close { [weak self] _ in self?.emit(.close) }
        } else {
            nextTick { self.emit(.close) }
        }
    }
}

extension Event where Emitter: WebSocketServer, Payload == (WebSocket, IncomingMessage) {
    /// A handshake succeeded: the new connection, and the request that asked for it.
    public static var connection: Self { Self("connection") }
}

extension Event where Emitter: WebSocketServer, Payload == Void {
    /// The standalone server is listening.
    public static var listening: Self { Self("listening") }
    /// The server is closed.
    public static var close: Self { Self("close") }
}

extension Event where Emitter: WebSocketServer, Payload == NodeError {
    /// The standalone server could not listen (EADDRINUSE, …).
    public static var error: Self { Self("error") }
}
