import NIOHTTP1

/// A request a program sends (Node's `http.request`): headers can change until the first
/// `write`, the body is written like a response's, and the answer comes as `response`.
///
/// Events: `socket`, `response(res)`, `continue` (after `Expect: 100-continue`), `information`
/// (other `1xx`), `upgrade(res, socket, head)`, `connect(res, socket, head)`, `timeout`, `error`,
/// `finish`, `close`.
@NodeActor public final class ClientRequest: OutgoingMessage {
    /// `GET`, `POST`, …
    public let method: String
    /// The request target: path and query (or `host:port` for CONNECT).
    public let path: String
    /// The server's host name or address.
    public let host: String
    /// The server's port.
    public let port: Int
    let agent: Agent
    /// How many header lines of the response are kept (see ``RequestOptions/maxHeadersCount``).
    let maxHeadersCount: Int
    /// The most header bytes the response may have (see ``RequestOptions/maxHeaderSize``).
    let maxHeaderSize: Int
    /// TLS options for an `https` request; nil for plain HTTP.
    let tls: TLSOptions?
    private var timeout: Int?
    private var responded = false
    /// It has failed, been destroyed or completed: no connection should carry it any more.
    private(set) var isDone = false
    /// The server ended the connection before answering; `error` has been emitted.
    private var hungUp = false

    init(options: RequestOptions) {
        // No method means GET, as in Node; it is checked before it is upper-cased.
        method = options.method.isEmpty ? "GET" : options.method.uppercased()
        path = options.path
        host = options.host
        port = options.port
        agent = options.agent ?? Agent(keepAlive: false)
        maxHeadersCount = options.maxHeadersCount
        maxHeaderSize = options.maxHeaderSize
        tls = options.tls
        super.init()
        // Node throws these from `http.request`; here the request fails with them as its `error`
        // (on the next tick, so that a listener can be added) and nothing is sent.
        var invalid = HeaderValidation.problem(
            method: options.method.isEmpty ? method : options.method, path: path)
        let defaultPort = options.tls == nil ? 80 : 443
        var headers = options.headers
        if !Self.names(headers, include: "host") {
            headers.append(("Host", port == defaultPort ? host : "\(host):\(port)"))
        }
        for (name, value) in headers where invalid == nil {
            invalid = HeaderValidation.problem(name: name, values: [value])
            if invalid == nil { setHeader(name, value) }
        }
        useChunkedEncodingByDefault = !["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"].contains(
            method)
        shouldKeepAlive = agent.keepAlive
        keepAliveWithoutLength = true
        timeout = options.timeout
        // With `Expect: 100-continue` the head goes out alone, so the server can answer it first.
        if getHeader("expect")?.lowercased() == "100-continue" { flushHeaders() }
        if host.isEmpty {
            afterIOBatch { self.failed(NodeError(code: .invalidURL, message: "Invalid URL")) }
        } else if let invalid {
            afterIOBatch { self.failed(invalid) }
        } else {
            afterIOBatch { self.agent.addRequest(self) }
        }
    }

    /// Whether a header list has `name`, in any case; nonisolated, for the reason in
    /// `ObjectIdentity.swift`.
    private nonisolated static func names(_ headers: [(String, String)], include name: String) -> Bool {
        headers.contains { $0.0.caseInsensitiveEquals(name) }
    }

    /// What the response decoder needs to know of this request (its method).
    var requestHead: HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path)
    }

    override func implicitHead() {
        storeHead { head in
            head.writeLine(method, " ", path, ending: " HTTP/1.1\r\n")
        }
    }

    /// Sends the head now, before any body (Node's `flushHeaders`).
    public func flushHeaders() {
        if !headersSent { implicitHead() }
        send(Buffer([UInt8]()))
    }

    /// Emits `timeout` after `milliseconds` without activity on the connection; the request is not
    /// aborted (call `destroy()` in the listener).
    @discardableResult
    public func setTimeout(_ milliseconds: Int, _ callback: (@NodeActor () -> Void)? = nil) -> ClientRequest {
        if let callback { once(.timeout, callback) }
        timeout = milliseconds
        if let socket { applyTimeout(to: socket) }
        return self
    }

    private func applyTimeout(to socket: Socket) {
        // The connection turns the socket's `timeout` into this request's.
        if let timeout { socket.setTimeout(timeout) }
    }

    /// Abandons the request: closes its connection, and emits `error` with `error` if given.
    public func destroy(_ error: NodeError? = nil) {
        guard !isDone else { return }
        if let socket { socket.destroy() } else { failed(error ?? .socketHangUp) }
        if let error { failed(error) }
    }

    // MARK: From the connection

    func assigned(to socket: Socket) {
        emit(.socket, socket)
        applyTimeout(to: socket)
        attach(socket)
    }

    func responseArrived(_ res: IncomingMessage) {
        responded = true
        // Nobody reading the answer: it is read and dropped, so the connection can be reused.
        if !emit(.response, res) { res.dump() }
    }

    func completed() {
        guard !isDone else { return }
        isDone = true
        socket?.setTimeout(0)
        afterIOBatch {
            self.emit(.close)
            self.releaseListeners()
        }
    }

    /// The connection closed before the response was whole: `error` (before any answer) and
    /// `close`, at once, as Node's client emits them from its socket's `close` listener.
    func connectionClosed(_ error: NodeError?) {
        guard !isDone else { return }
        isDone = true
        if let error, !hungUp { emit(.error, error) }
        emit(.close)
        releaseListeners()
    }

    /// The server ended the connection with no answer yet: `error` now, as Node's client emits it
    /// from its socket's `end` listener; `close` comes with the socket's.
    func serverHungUp() {
        guard !isDone, !hungUp else { return }
        hungUp = true
        emit(.error, .socketHangUp)
    }

    func failed(_ error: NodeError) {
        guard !isDone else { return }
        isDone = true
        emit(.error, error)
        afterIOBatch {
            self.emit(.close)
            self.releaseListeners()
        }
    }
}

extension Event where Emitter: ClientRequest, Payload == IncomingMessage {
    /// The response's head has arrived; its body follows on `res`.
    public static var response: Self { Self("response") }
}

extension Event where Emitter: ClientRequest, Payload == Void {
    /// The server answered `100 Continue`: send the body now.
    public static var `continue`: Self { Self("continue") }
    /// The connection was idle for the time given to `setTimeout`.
    public static var timeout: Self { Self("timeout") }
}

extension Event where Emitter: ClientRequest, Payload == Socket {
    /// The request has been given a connection.
    public static var socket: Self { Self("socket") }
}

extension Event where Emitter: ClientRequest, Payload == InformationalResponse {
    /// A `1xx` answer other than 100 and 101 (`103 Early Hints`).
    public static var information: Self { Self("information") }
}

extension Event where Emitter: ClientRequest, Payload == (IncomingMessage, Socket, Buffer) {
    /// The server switched protocols (`101`): the socket and the bytes after the head are yours.
    public static var upgrade: Self { Self("upgrade") }
    /// The proxy opened the tunnel (`2xx` to CONNECT): the socket and the bytes after the head
    /// are yours.
    public static var connect: Self { Self("connect") }
}
