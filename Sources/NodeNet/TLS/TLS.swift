/// Node's `tls` module: `tls.createServer`, `tls.connect`.
public struct TLSModule: Sendable {
    /// Creates a TLS server; `secureConnectionListener` is added as a `secureConnection` listener.
    /// Throws for options OpenSSL refuses (a missing key, a key that does not match the
    /// certificate, a key too small for the security level: `ERR_SSL_EE_KEY_TOO_SMALL`).
    @NodeActor
    public func createServer(
        _ options: TLSOptions, _ secureConnectionListener: (@NodeActor (TLSSocket) -> Void)? = nil
    ) throws(NodeError) -> TLSServer {
        let server = try TLSServer(options: options, tcp: ServerOptions())
        if let secureConnectionListener { server.on(.secureConnection, secureConnectionListener) }
        return server
    }

    /// Opens a TLS connection to `host:port`; `secureConnectListener` is added as a
    /// `secureConnect` listener. Bad options come as the socket's `error`.
    @NodeActor @discardableResult
    public func connect(
        _ port: Int, _ host: String = "localhost", _ options: TLSOptions = TLSOptions(),
        _ secureConnectListener: (@NodeActor () -> Void)? = nil
    ) -> TLSSocket {
        let context: SecureContext
        do {
            context = try SecureContext(options, isServer: false)
        } catch {
            let socket = TLSSocket(
                options: options, context: try! SecureContext(TLSOptions(), isServer: false), host: host,
                socketOptions: SocketOptions())
            afterIOBatch { socket.destroy(error) }
            return socket
        }
        let socket = TLSSocket(options: options, context: context, host: host, socketOptions: SocketOptions())
        if let secureConnectListener { socket.once(.secureConnect, secureConnectListener) }
        socket.connect(port: port, host: host)
        return socket
    }
}

/// `const tls = require('tls')`.
public let tls = TLSModule()
