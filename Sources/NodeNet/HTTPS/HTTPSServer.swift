import NIOCore

/// An HTTPS server, as `https.createServer` returns it: an ``HTTPServer`` (same events, same
/// behaviour) whose connections speak TLS first, like a ``TLSServer``.
///
/// Events besides an HTTP server's: `secureConnection(socket)`, `tlsClientError(error, socket)`.
@NodeActor public final class HTTPSServer: HTTPServer, SecureServer {
    let secure: SecureServerCore

    init(tls: TLSOptions, http: HTTPServerOptions) throws(NodeError) {
        secure = try SecureServerCore(Self.speakingHTTP1(tls))
        super.init(options: http)
    }

    /// Presents `options`' certificate to clients that ask for `hostname` with SNI (a name, or
    /// `*.domain`); others get the server's own (Node's `server.addContext`).
    public func addContext(_ hostname: String, _ options: TLSOptions) throws(NodeError) {
        try secure.addContext(hostname, Self.speakingHTTP1(options))
    }

    /// `options` with `http/1.1` as the one application protocol, unless they name their own,
    /// as Node's `https.Server` defaults `ALPNProtocols`: a client that offers ALPN is told
    /// HTTP/1.1, and one that offers only others (`h2`) is refused with
    /// `no_application_protocol`, not answered in a protocol it did not ask for.
    private static func speakingHTTP1(_ options: TLSOptions) -> TLSOptions {
        var options = options
        if options.alpnProtocols.isEmpty { options.alpnProtocols = ["http/1.1"] }
        return options
    }

    override func makeSocket(for channel: any Channel) throws -> Socket {
        try makeSecureSocket(for: channel)
    }

    func secured(_ socket: TLSSocket) {
        handshakeDone(socket)
        emit(.secureConnection, socket)
    }

    func secureFailed(_ error: NodeError, _ socket: TLSSocket) {
        emit(.tlsClientError, (error, socket))
    }
}

extension Event where Emitter: HTTPSServer, Payload == TLSSocket {
    /// A client finished its TLS handshake; its requests follow.
    public static var secureConnection: Self { Self("secureConnection") }
}

extension Event where Emitter: HTTPSServer, Payload == (NodeError, TLSSocket) {
    /// A client's TLS handshake failed (a plain-HTTP request to the HTTPS port, an untrusted
    /// client certificate, a timeout); the socket is destroyed after the listeners run.
    public static var tlsClientError: Self { Self("tlsClientError") }
}
