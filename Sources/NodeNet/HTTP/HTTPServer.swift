import NIOCore

/// An HTTP server, as `http.createServer` returns it. Like Node's, it *is* a TCP ``Server``
/// (same `listen`, `close`, `address`, `connection` event) that speaks HTTP on each connection.
///
/// Events, besides the TCP server's: `request(req, res)`, `checkContinue(req, res)`,
/// `checkExpectation(req, res)`, `connect(req, socket, head)`, `upgrade(req, socket, head)`,
/// `clientError(error, socket)`, `dropRequest(req, socket)`. See each event for Node's default
/// when nobody listens.
@NodeActor public class HTTPServer: Server {
    /// See ``HTTPServerOptions/maxHeaderSize``; fixed when the server is created.
    public let maxHeaderSize: Int
    /// See ``HTTPServerOptions/maxHeadersCount``.
    public var maxHeadersCount: Int
    /// See ``HTTPServerOptions/headersTimeout`` (here with Node's default worked out); applies
    /// to requests that start after a change.
    public var headersTimeout: Int
    /// See ``HTTPServerOptions/requestTimeout``.
    public var requestTimeout: Int
    /// See ``HTTPServerOptions/keepAliveTimeout``.
    public var keepAliveTimeout: Int
    /// See ``HTTPServerOptions/maxRequestsPerSocket``.
    public var maxRequestsPerSocket: Int
    let requireHostHeader: Bool
    private var httpConnections: [ObjectIdentifier: ServerConnection] = [:]

    init(options: HTTPServerOptions) {
        options.checkRanges()
        maxHeaderSize = options.maxHeaderSize
        maxHeadersCount = options.maxHeadersCount
        headersTimeout = options.headersTimeout ?? min(60_000, options.requestTimeout)
        requestTimeout = options.requestTimeout
        keepAliveTimeout = options.keepAliveTimeout
        maxRequestsPerSocket = options.maxRequestsPerSocket
        requireHostHeader = options.requireHostHeader
        // Half-open, as Node's http server makes its sockets: the connection decides what the
        // client's FIN means (the end of HTTP, or nothing yet for an upgrade being handed over).
        var tcp = ServerOptions(allowHalfOpen: true, noDelay: options.noDelay)
        tcp.readSize = 65536
        super.init(options: tcp)
    }

    override func prepare(_ socket: Socket, _ channel: any Channel) throws {
        httpConnections[ObjectIdentifier(socket)] = try ServerConnection(
            server: self, socket: socket, channel: channel)
    }

    /// The TLS handshake of `socket` is done (HTTPS): its first request is due from now on.
    func handshakeDone(_ socket: Socket) {
        httpConnections[ObjectIdentifier(socket)]?.secured()
    }

    /// Drops a connection that has closed or left HTTP (after an upgrade or CONNECT).
    func forget(_ connection: ServerConnection) {
        httpConnections[ObjectIdentifier(connection.socket)] = nil
    }

    /// Stops accepting connections and closes the idle ones; each busy one closes once its last
    /// response is written. `close` fires when all have closed.
    public override func close(_ callback: (@NodeActor (NodeError?) -> Void)? = nil) {
        super.close(callback)
        closeIdleConnections()
    }

    /// Closes every connection that is not reading or answering a request.
    public func closeIdleConnections() {
        for connection in httpConnections.values where connection.isIdle {
            connection.socket.destroy()
        }
    }

    /// Closes every HTTP connection at once, busy or not (upgraded ones are the program's, and
    /// no longer counted here).
    public func closeAllConnections() {
        for connection in httpConnections.values {
            connection.socket.destroy()
        }
    }
}

extension Event where Emitter: HTTPServer, Payload == (IncomingMessage, ServerResponse) {
    /// A request's head has arrived; its body follows on `req`. Answer with `res`.
    public static var request: Self { Self("request") }
    /// A request asked `Expect: 100-continue`. Nobody listening: `100 Continue` is written and
    /// `request` fires at once. Listening: `request` does not fire; call `res.writeContinue()`
    /// and read the body, or answer with a final status and the body is never sent.
    public static var checkContinue: Self { Self("checkContinue") }
    /// A request had an `Expect` other than `100-continue`. Nobody listening:
    /// `417 Expectation Failed`, and the connection stays open.
    public static var checkExpectation: Self { Self("checkExpectation") }
}

extension Event where Emitter: HTTPServer, Payload == (IncomingMessage, Socket, Buffer) {
    /// A `CONNECT host:port` request (a proxy's tunnel): the raw socket and the bytes that came
    /// after the head are the listener's. Nobody listening: the connection is closed.
    public static var connect: Self { Self("connect") }
    /// A request with `Upgrade` and `Connection: upgrade` (WebSocket): the raw socket and the
    /// bytes after the head are the listener's. Nobody listening: served as an ordinary request.
    public static var upgrade: Self { Self("upgrade") }
}

extension Event where Emitter: HTTPServer, Payload == (NodeError, Socket) {
    /// A connection failed: a request that cannot be parsed (`HPE_…`), a timeout
    /// (`ERR_HTTP_REQUEST_TIMEOUT`), or a socket error (`ECONNRESET`). Nobody listening: Node's
    /// answer (400, 431 or 408 with `Connection: close`, if nothing was written yet), then the
    /// socket is destroyed. Listening: the socket is the listener's to answer and close.
    public static var clientError: Self { Self("clientError") }
}

extension Event where Emitter: HTTPServer, Payload == (IncomingMessage, Socket) {
    /// A request beyond `maxRequestsPerSocket`; it is answered `503` and the connection closes.
    public static var dropRequest: Self { Self("dropRequest") }
}
