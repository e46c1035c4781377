import NIOCore

/// A TLS server, as `tls.createServer` returns it: a TCP ``Server`` whose connections speak
/// TLS. `connection` fires when TCP connects; `secureConnection` once the handshake is done.
///
/// Events besides a TCP server's: `secureConnection(socket)`, `tlsClientError(error, socket)`
/// (a handshake failed or timed out; the socket is then destroyed).
@NodeActor public final class TLSServer: Server {
    let tlsOptions: TLSOptions
    let secureContext: SecureContext

    init(options: TLSOptions, tcp: ServerOptions) throws(NodeError) {
        guard options.key != nil, options.cert != nil else {
            throw NodeError(
                code: "ERR_TLS_MISSING_KEY", message: "A TLS server needs a key and a certificate")
        }
        tlsOptions = options
        secureContext = try SecureContext(options, isServer: true)
        super.init(options: tcp)
    }

    override func makeSocket(for channel: any Channel) -> Socket {
        TLSSocket(server: self, channel: channel)
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
