import NIOCore

/// A TLS server, as `tls.createServer` returns it: a TCP ``Server`` whose connections speak
/// TLS. `connection` fires when TCP connects; `secureConnection` once the handshake is done.
///
/// Events besides a TCP server's: `secureConnection(socket)`, `tlsClientError(error, socket)`
/// (a handshake failed or timed out; the socket is then destroyed).
@NodeActor public final class TLSServer: Server, SecureServer {
    let tlsOptions: TLSOptions
    let secureContext: SecureContext

    init(options: TLSOptions, tcp: ServerOptions) throws(NodeError) {
        tlsOptions = options
        secureContext = try SecureContext.forServer(options)
        super.init(options: tcp)
    }

    /// Presents `options`' certificate to clients that ask for `hostname` with SNI (a name, or
    /// `*.domain`); others get the server's own (Node's `server.addContext`).
    public func addContext(_ hostname: String, _ options: TLSOptions) throws(NodeError) {
        secureContext.addContext(hostname, try SecureContext.forServer(options))
    }

    override func makeSocket(for channel: any Channel) throws -> Socket {
        try TLSSocket(server: self, channel: channel)
    }

    func secured(_ socket: TLSSocket) {
        emit(.secureConnection, socket)
    }

    func secureFailed(_ error: NodeError, _ socket: TLSSocket) {
        emit(.tlsClientError, (error, socket))
    }
}

/// A server whose connections speak TLS (`tls.Server`, and `https.Server`, which is one too):
/// its sockets tell it how each handshake ended.
@NodeActor protocol SecureServer: Server {
    var tlsOptions: TLSOptions { get }
    var secureContext: SecureContext { get }
    /// The handshake succeeded: `secureConnection`.
    func secured(_ socket: TLSSocket)
    /// The handshake failed, or the client's certificate was refused: `tlsClientError`.
    func secureFailed(_ error: NodeError, _ socket: TLSSocket)
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
