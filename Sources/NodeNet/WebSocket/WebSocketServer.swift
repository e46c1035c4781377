/// A WebSocket server, shaped like the `ws` library's `WebSocketServer` (Node has none built in):
/// it answers the upgrade requests of an HTTP server, or those a program hands to
/// ``handleUpgrade(_:_:_:_:)``, and hands each new connection to `connection`.
///
/// Events: `connection(ws, req)`, `listening` and `error` (standalone only), `close`.
@NodeActor public final class WebSocketServer: EventEmitter {
    /// The HTTP server whose `upgrade` requests this server answers; nil for a server made with
    /// ``init(path:protocols:options:verifyClient:)``, which answers those it is handed.
    public let httpServer: HTTPServer?
    /// Only upgrades to this path are accepted (others get 400); nil accepts every path.
    public let path: String?
    /// The subprotocols this server speaks: it chooses the first the client offers that is here.
    public let protocols: [String]
    /// The limits of each connection.
    public let options: WebSocketOptions
    /// Decides, for each valid upgrade request, whether to accept it; nil accepts all (`ws`'s
    /// `verifyClient`).
    public let verifyClient: ClientVerification?
    /// The open connections.
    public private(set) var clients: [WebSocket] = []
    private var standalone = false
    private var closed = false

    /// Serves WebSocket upgrades on `server`, which goes on serving ordinary requests
    /// (`new WebSocketServer({ server, path, verifyClient })` in `ws`).
    public convenience init(
        server: HTTPServer, path: String? = nil, protocols: [String] = [],
        options: WebSocketOptions = WebSocketOptions(), verifyClient: ClientVerification? = nil
    ) {
        self.init(
            httpServer: server, path: path, protocols: protocols, options: options, verifyClient: verifyClient
        )
        // The listener keeps this server alive as long as the HTTP server, as in Node, where the
        // program need not keep a reference to it.
        server.on(.upgrade) { req, socket, head in
            self.handleUpgrade(req, socket, head) { ws in self.emit(.connection, (ws, req)) }
        }
    }

    /// A server with no HTTP server of its own (`new WebSocketServer({ noServer: true })` in `ws`):
    /// the program listens for `upgrade` itself, routes each request (by path, by host, to one of
    /// several servers), refuses what it wants to refuse, and hands the rest to `handleUpgrade`.
    public convenience init(
        path: String? = nil, protocols: [String] = [], options: WebSocketOptions = WebSocketOptions(),
        verifyClient: ClientVerification? = nil
    ) {
        self.init(
            httpServer: nil, path: path, protocols: protocols, options: options, verifyClient: verifyClient)
    }

    private init(
        httpServer: HTTPServer?, path: String?, protocols: [String], options: WebSocketOptions,
        verifyClient: ClientVerification?
    ) {
        self.httpServer = httpServer
        self.path = path
        self.protocols = protocols
        self.options = options
        self.verifyClient = verifyClient
        super.init()
    }

    /// A server of its own on `port` (`new WebSocketServer({ port })` in `ws`): requests that are
    /// not upgrades get `426 Upgrade Required`. `callback` is added as a `listening` listener.
    public convenience init(
        port: Int, host: String? = nil, path: String? = nil, protocols: [String] = [],
        options: WebSocketOptions = WebSocketOptions(), verifyClient: ClientVerification? = nil,
        _ callback: (@NodeActor () -> Void)? = nil
    ) {
        let server = http.createServer { _, res in
            res.writeHead(426, ["Content-Type": "text/plain"])
            res.end(http.STATUS_CODES[426] ?? "Upgrade Required")
        }
        self.init(
            server: server, path: path, protocols: protocols, options: options, verifyClient: verifyClient,
            standalone: true)
        if let callback { once(.listening, callback) }
        server.on(.listening) { [weak self] in self?.emit(.listening) }
        server.on(.error) { [weak self] error in self?.emit(.error, error) }
        server.listen(port, host)
    }

    private convenience init(
        server: HTTPServer, path: String?, protocols: [String], options: WebSocketOptions,
        verifyClient: ClientVerification?, standalone: Bool
    ) {
        self.init(
            server: server, path: path, protocols: protocols, options: options, verifyClient: verifyClient)
        self.standalone = standalone
    }

    /// The address the HTTP server listens on (nil without one).
    public func address() -> AddressInfo? {
        httpServer?.address()
    }

    /// Checks an upgrade request and answers it: `101` and a ``WebSocket`` for `callback`, or
    /// the refusal (`400`, `405`, `426`, or `verifyClient`'s) and the socket closed. For programs
    /// that route upgrades themselves (`wss.handleUpgrade` in `ws`): `verifyClient` is asked
    /// here too, after the protocol's checks, so no `101` is ever sent before it agrees.
    public func handleUpgrade(
        _ req: IncomingMessage, _ socket: Socket, _ head: Buffer,
        _ callback: @escaping @NodeActor (WebSocket) -> Void
    ) {
        guard !closed else { return socket.destroy() }
        let requestPath = String(req.url.prefix { $0 != "?" })
        var refusal = WebSocketHandshake.check(req)
        if refusal == nil, let path, requestPath != path {
            refusal = WebSocketHandshake.Refusal(
                status: 400, message: "No WebSocket service at \(requestPath)")
        }
        if let refusal { return refuse(socket, refusal) }
        guard let verifyClient else { return accept(req, socket, head, callback) }
        // Nothing is read while the verdict is awaited: frames sent early wait in the kernel.
        socket.pauseUntilResumed()
        verifyClient.verify(req) { [weak self] verdict in
            guard let self else { return socket.destroy() }
            // The client may have gone, or the server closed, while the verdict was awaited.
            guard !socket.destroyed, !self.closed else { return socket.destroy() }
            switch verdict {
            case .accept:
                self.accept(req, socket, head, callback)
            case .refuse(let status, let message, let headers):
                // A header that could forge others (CR, LF) is left out, as Node refuses to send one.
                let safe = headers.filter {
                    HeaderValidation.problem(name: $0.key, values: [$0.value]) == nil
                }
                self.refuse(
                    socket, WebSocketHandshake.Refusal(status: status, message: message, headers: safe))
            }
        }
    }

    private func refuse(_ socket: Socket, _ refusal: WebSocketHandshake.Refusal) {
        socket.end(Buffer(refusal.response)) { socket.destroy() }
    }

    private func accept(
        _ req: IncomingMessage, _ socket: Socket, _ head: Buffer,
        _ callback: @escaping @NodeActor (WebSocket) -> Void
    ) {
        let offered = WebSocketHandshake.offeredProtocols(req.headers["sec-websocket-protocol"]) ?? []
        let chosen = offered.first { protocols.contains($0) }
        socket.write(
            WebSocketHandshake.response(key: req.headers["sec-websocket-key"] ?? "", protocol: chosen))
        let ws = WebSocket(url: req.url, isServer: true, options: options)
        ws.attach(socket, head: head, protocol: chosen ?? "")
        clients.append(ws)
        ws.once(.close) { [weak self] _ in self?.clients.removeAll(identicalTo: ws) }
        callback(ws)
    }

    /// Stops accepting upgrades; open connections stay open (as in `ws` 8). A standalone server
    /// also closes its HTTP server, and `close` fires once its connections have ended.
    public func close(_ callback: (@NodeActor () -> Void)? = nil) {
        closed = true
        if let callback { once(.close, callback) }
        if standalone, let httpServer {
            httpServer.close { [weak self] _ in self?.emit(.close) }
        } else {
            afterIOBatch { self.emit(.close) }
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
