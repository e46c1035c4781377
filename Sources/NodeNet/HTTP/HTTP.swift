/// Node's `http` module: `http.createServer`, `http.request`, `http.get`, `http.STATUS_CODES`.
public struct HTTPModule: Sendable {
    /// Creates an HTTP server; `requestListener` is added as a `request` listener.
    @NodeActor
    public func createServer(
        _ options: HTTPServerOptions = HTTPServerOptions(),
        _ requestListener: (@NodeActor (IncomingMessage, ServerResponse) -> Void)? = nil
    ) -> HTTPServer {
        let server = HTTPServer(options: options)
        if let requestListener {
            server.on(.request) { request, response in requestListener(request, response) }
        }
        return server
    }

    /// Same as ``createServer(_:_:)`` with Node's default options.
    @NodeActor
    public func createServer(
        _ requestListener: @escaping @NodeActor (IncomingMessage, ServerResponse) -> Void
    )
        -> HTTPServer
    {
        createServer(HTTPServerOptions(), requestListener)
    }

    /// Starts a request; `callback` is added as a `response` listener. Write the body, then call
    /// `end()`: nothing is sent before `end()`, a `write` or `flushHeaders()`.
    @NodeActor @discardableResult
    public func request(
        _ options: RequestOptions, _ callback: (@NodeActor (IncomingMessage) -> Void)? = nil
    ) -> ClientRequest {
        let request = ClientRequest(options: options)
        if let callback { request.on(.response, callback) }
        return request
    }

    /// Starts a request to an `http://` URL, with `options` for the rest (method, headers, agent).
    /// A URL that cannot be read gives the request an `ERR_INVALID_URL` error.
    @NodeActor @discardableResult
    public func request(
        _ url: String,
        _ options: RequestOptions = RequestOptions(),
        _ callback: (@NodeActor (IncomingMessage) -> Void)? = nil
    ) -> ClientRequest {
        request(options.merging(url: url, secure: false), callback)
    }

    /// A `GET` that is ended at once: `http.get(url) { res in … }`.
    @NodeActor @discardableResult
    public func get(_ url: String, _ callback: (@NodeActor (IncomingMessage) -> Void)? = nil) -> ClientRequest
    {
        let request = request(url, RequestOptions(), callback)
        request.end()
        return request
    }

    /// A `GET` with options, ended at once.
    @NodeActor @discardableResult
    public func get(_ options: RequestOptions, _ callback: (@NodeActor (IncomingMessage) -> Void)? = nil)
        -> ClientRequest
    {
        let request = request(options, callback)
        request.end()
        return request
    }

    /// Node 20's `http.globalAgent`: keep-alive, idle connections closed after 5 s.
    @NodeActor public var globalAgent: Agent { Agent.global }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// The standard reason phrase of each status code: Node's `http.STATUS_CODES`, by its name.
    public var STATUS_CODES: [Int: String] { StatusCodes.reasons }
}

/// `const http = require('http')`.
public let http = HTTPModule()

/// The options of `http.createServer`, with Node 20's defaults; each limit is named after Node's
/// option. Times are in milliseconds.
public struct HTTPServerOptions: Sendable {
    /// The most bytes of request line and headers (URL, names and values) a request may have;
    /// more is answered `431 Request Header Fields Too Large`. Node: `maxHeaderSize`, 16384.
    public var maxHeaderSize = 16384
    /// How many header lines of a request are kept in `headers`, `headersDistinct` and
    /// `rawHeaders`; the rest are dropped (0: all). Node: `server.maxHeadersCount`, documented
    /// as 2000; left unset, Node 20 keeps 1000, since its parser counts names and values apart.
    public var maxHeadersCount = IncomingHeaders.defaultMaxCount
    /// How long a client may take to send a request's head, counted from the connection's start
    /// (after the TLS handshake) and then from each request's first byte; then
    /// `408 Request Timeout`. 0: no limit. Node: `headersTimeout`; nil takes Node's default,
    /// `min(60000, requestTimeout)`.
    public var headersTimeout: Int?
    /// How long a client may take to send a whole request, body included; then `408`. 0: no
    /// limit. Node: `requestTimeout`, 300000.
    public var requestTimeout = 300_000
    /// How long an idle keep-alive connection is kept open (Node closes it a second later).
    /// Node: `keepAliveTimeout`, 5000.
    public var keepAliveTimeout = 5_000
    /// The most requests one connection may carry (0: no limit); later ones are answered 503.
    /// Node: `maxRequestsPerSocket`, 0.
    public var maxRequestsPerSocket = 0
    /// Whether an HTTP/1.1 request without `Host` is answered `400 Bad Request`. Node:
    /// `requireHostHeader`, true.
    public var requireHostHeader = true
    /// Whether Nagle's algorithm is off on each connection. Node: `noDelay`, true for `http`.
    public var noDelay = true

    /// Stops the program with Node's `ERR_OUT_OF_RANGE` words if a size or timeout is negative,
    /// or `headersTimeout` is longer than `requestTimeout` when both apply (a head could never
    /// time out before its request does). Node throws these from `http.createServer`; a Swift
    /// program traps with them, as ``Buffer/alloc(_:fill:)`` does (see Differences.md).
    func checkRanges() {
        // In Node's order: the first bad value is the one named.
        func check(_ name: String, _ value: Int) {
            if !(0...Self.largestSafeInteger).contains(value) {
                preconditionFailure(
                    NodeError.outOfRange(
                        name, mustBe: ">= 0 && <= \(Self.largestSafeInteger)", received: value
                    )
                    .message)
            }
        }
        check("maxHeaderSize", maxHeaderSize)
        check("requestTimeout", requestTimeout)
        if let headersTimeout {
            check("headersTimeout", headersTimeout)
            if headersTimeout > 0, requestTimeout > 0, headersTimeout > requestTimeout {
                preconditionFailure(
                    NodeError.outOfRange(
                        "headersTimeout", mustBe: "<= requestTimeout", received: headersTimeout
                    )
                    .message)
            }
        }
        check("keepAliveTimeout", keepAliveTimeout)
    }

    /// JavaScript's `Number.MAX_SAFE_INTEGER`, the bound of Node's integer checks.
    static let largestSafeInteger = 9_007_199_254_740_991

    /// Node's defaults, changed by name: `HTTPServerOptions(keepAliveTimeout: 1000)`.
    public init(
        maxHeaderSize: Int = 16384,
        maxHeadersCount: Int = 1000,
        headersTimeout: Int? = nil,
        requestTimeout: Int = 300_000,
        keepAliveTimeout: Int = 5_000,
        maxRequestsPerSocket: Int = 0,
        requireHostHeader: Bool = true,
        noDelay: Bool = true
    ) {
        self.maxHeaderSize = maxHeaderSize
        self.maxHeadersCount = maxHeadersCount
        self.headersTimeout = headersTimeout
        self.requestTimeout = requestTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.maxRequestsPerSocket = maxRequestsPerSocket
        self.requireHostHeader = requireHostHeader
        self.noDelay = noDelay
    }
}
