import NIOCore

/// A server whose connections speak TLS (`tls.Server`, and `https.Server`, which is one too):
/// its sockets tell it how each handshake ended.
///
/// ``TLSServer`` and ``HTTPSServer`` sit on different servers (TCP, HTTP), so what they share
/// lives here and in ``SecureServerCore`` rather than in a common superclass.
@NodeActor protocol SecureServer: Server {
    var secure: SecureServerCore { get }
    /// The handshake succeeded: `secureConnection`.
    func secured(_ socket: TLSSocket)
    /// The handshake failed, or the client's certificate was refused: `tlsClientError`.
    func secureFailed(_ error: NodeError, _ socket: TLSSocket)
}

extension SecureServer {
    var tlsOptions: TLSOptions { secure.options }
    var secureContext: SecureContext { secure.context }

    /// The socket for an accepted connection: its TLS handler goes in front of the socket's own.
    func makeSecureSocket(for channel: any Channel) throws -> Socket {
        try TLSSocket(server: self, channel: channel)
    }
}

/// The TLS state a secure server keeps: its options and the context every handshake uses,
/// with the extra contexts SNI picks from.
@NodeActor struct SecureServerCore {
    let options: TLSOptions
    let context: SecureContext

    init(_ options: TLSOptions) throws(NodeError) {
        self.options = options
        context = try SecureContext.forServer(options)
    }

    /// Node's `server.addContext(hostname, options)`.
    func addContext(_ hostname: String, _ options: TLSOptions) throws(NodeError) {
        context.addContext(hostname, try SecureContext.forServer(options))
    }
}
