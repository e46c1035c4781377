/// Node's `https` module: the `http` module over `tls`.
public struct HTTPSModule: Sendable {
    /// Creates an HTTPS server: `tls` holds its key and certificate (and `ca`/`requestCert` to
    /// ask for client certificates), `options` the HTTP limits; `requestListener` is added as a
    /// `request` listener. Throws for TLS options OpenSSL refuses.
    @NodeActor
    public func createServer(
        _ tls: TLSOptions, _ options: HTTPServerOptions = HTTPServerOptions(),
        _ requestListener: (@NodeActor (IncomingMessage, ServerResponse) -> Void)? = nil
    ) throws(NodeError) -> HTTPSServer {
        let server = try HTTPSServer(tls: tls, http: options)
        if let requestListener {
            server.on(.request) { request, response in requestListener(request, response) }
        }
        return server
    }

    /// Starts a request over TLS (`options.tls`, by default trusting the system's CAs and
    /// checking the host name); the global HTTPS agent keeps connections alive.
    @NodeActor @discardableResult
    public func request(
        _ options: RequestOptions, _ callback: (@NodeActor (IncomingMessage) -> Void)? = nil
    ) -> ClientRequest {
        var secure = options
        if secure.tls == nil { secure.tls = TLSOptions() }
        if secure.agent === Agent.global { secure.agent = .globalHTTPS }
        return http.request(secure, callback)
    }

    /// Starts a request to an `https://` URL, with `options` for the rest (method, headers,
    /// `tls` with the CAs to trust).
    @NodeActor @discardableResult
    public func request(
        _ url: String, _ options: RequestOptions = RequestOptions(),
        _ callback: (@NodeActor (IncomingMessage) -> Void)? = nil
    ) -> ClientRequest {
        http.request(options.merging(url: url, secure: true), callback)
    }

    /// A `GET` that is ended at once: `https.get(url, options) { res in … }`.
    @NodeActor @discardableResult
    public func get(
        _ url: String, _ options: RequestOptions = RequestOptions(),
        _ callback: (@NodeActor (IncomingMessage) -> Void)? = nil
    ) -> ClientRequest {
        let request = request(url, options, callback)
        request.end()
        return request
    }
}

/// `const https = require('https')`.
public let https = HTTPSModule()
