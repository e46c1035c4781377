import NIOCore

/// A TLS server, as `tls.createServer` returns it: a TCP ``Server`` whose connections speak
/// TLS. `connection` fires when TCP connects; `secureConnection` once the handshake is done.
///
/// Events besides a TCP server's: `secureConnection(socket)`, `tlsClientError(error, socket)`
/// (a handshake failed or timed out; the socket is then destroyed).
@NodeActor public final class TLSServer: Server, SecureServer {
    let secure: SecureServerCore

    init(options: TLSOptions, tcp: ServerOptions) throws(NodeError) {
        secure = try SecureServerCore(options)
        super.init(options: tcp)
    }

    /// Presents `options`' certificate to clients that ask for `hostname` with SNI (a name, or
    /// `*.domain`); others get the server's own (Node's `server.addContext`).
    public func addContext(_ hostname: String, _ options: TLSOptions) throws(NodeError) {
        try secure.addContext(hostname, options)
    }

    override func makeSocket(for channel: any Channel) throws -> Socket {
        try makeSecureSocket(for: channel)
    }

    func secured(_ socket: TLSSocket) {
        emit(.secureConnection, socket)
    }

    func secureFailed(_ error: NodeError, _ socket: TLSSocket) {
        emit(.tlsClientError, (error, socket))
    }
}

extension Event where Emitter: TLSServer, Payload == TLSSocket {
    /// A client finished its handshake; the socket reads and writes plaintext.
    public static var secureConnection: Self { Self("secureConnection") }
}

extension Event where Emitter: TLSServer, Payload == (NodeError, TLSSocket) {
    /// A client's handshake failed (`ERR_SSL_…`), timed out (`ERR_TLS_HANDSHAKE_TIMEOUT`), or
    /// its certificate was refused; the socket is destroyed after the listeners run.
    public static var tlsClientError: Self { Self("tlsClientError") }
}
