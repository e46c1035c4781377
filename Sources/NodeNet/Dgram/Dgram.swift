/// Node's `dgram` module: UDP sockets.
public struct DgramModule: Sendable {
    /// `dgram.createSocket(type)`: an unbound UDP socket. `messageListener` is added as a
    /// `message` listener.
    @NodeActor
    public func createSocket(
        _ type: DatagramSocket.Kind,
        reuseAddr: Bool = false,
        _ messageListener: (@NodeActor ((Buffer, RemoteInfo)) -> Void)? = nil
    ) -> DatagramSocket {
        let socket = DatagramSocket(kind: type, reuseAddress: reuseAddr)
        if let messageListener { socket.on(.message, messageListener) }
        return socket
    }
}

/// `const dgram = require('dgram')`.
public let dgram = DgramModule()

/// Who sent a datagram, as Node's `rinfo`.
public struct RemoteInfo: Sendable, Equatable, CustomStringConvertible {
    /// The sender's IP address.
    public let address: String
    /// `IPv4` or `IPv6`.
    public let family: String
    /// The sender's port.
    public let port: Int
    /// The datagram's size in bytes.
    public let size: Int

    /// `127.0.0.1:53211 (5 bytes)`.
    public var description: String { "\(address):\(port) (\(size) bytes)" }
}

extension NodeError {
    /// Using a UDP socket after `close()`.
    static let dgramNotRunning = NodeError(code: .socketDgramNotRunning, message: "Not running")
    /// `bind()` on a socket that is already bound.
    static let alreadyBound = NodeError(code: .socketAlreadyBound, message: "Socket is already bound")
}
