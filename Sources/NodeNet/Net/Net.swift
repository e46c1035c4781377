/// Node's `net` module: `net.createServer`, `net.connect`.
public struct NetModule: Sendable {
    /// Creates a TCP server; `connectionListener` is added as a `connection` listener.
    @NodeActor
    public func createServer(
        _ options: ServerOptions = ServerOptions(),
        _ connectionListener: (@NodeActor (Socket) -> Void)? = nil
    ) -> Server {
        let server = Server(options: options)
        if let connectionListener { server.on(.connection, connectionListener) }
        return server
    }

    /// Opens a TCP connection to `host:port`; `connectListener` is added as a `connect` listener.
    ///
    /// The socket can be written to at once: writes made before it connects are sent on connect.
    @NodeActor @discardableResult
    public func connect(
        _ port: Int,
        _ host: String = "127.0.0.1",
        options: SocketOptions = SocketOptions(),
        _ connectListener: (@NodeActor () -> Void)? = nil
    ) -> Socket {
        let socket = Socket(options: options)
        if let connectListener { socket.once(.connect, connectListener) }
        socket.connect(port: port, host: host)
        return socket
    }

    /// Same as ``connect(_:_:options:_:)``.
    @NodeActor @discardableResult
    public func createConnection(
        _ port: Int,
        _ host: String = "127.0.0.1",
        options: SocketOptions = SocketOptions(),
        _ connectListener: (@NodeActor () -> Void)? = nil
    ) -> Socket {
        connect(port, host, options: options, connectListener)
    }
}

/// `const net = require('net')`.
public let net = NetModule()

/// The options of `net.createServer`, with Node 20's defaults.
public struct ServerOptions: Sendable {
    /// When the peer ends its side, keep ours open for writing (Node: `allowHalfOpen`, false).
    public var allowHalfOpen = false
    /// Turn Nagle's algorithm off on every accepted socket (Node: `noDelay`, false for `net`).
    public var noDelay = false
    /// Accepted sockets start paused (Node: `pauseOnConnect`, false).
    public var pauseOnConnect = false
    /// Pending connections the kernel may queue (Node's default backlog, 511).
    public var backlog = 511
    /// Read up to this many bytes at a time (nil: SwiftNIO's adaptive size, at most 64 KiB).
    /// HTTP reads grow to 64 KiB as Node's do, so a whole oversized head is read before it is
    /// refused.
    var readSize: Int?

    /// Node's defaults, changed by name: `ServerOptions(allowHalfOpen: true)`.
    public init(allowHalfOpen: Bool = false, noDelay: Bool = false, pauseOnConnect: Bool = false) {
        self.allowHalfOpen = allowHalfOpen
        self.noDelay = noDelay
        self.pauseOnConnect = pauseOnConnect
    }
}

/// The options of a client socket (`net.connect`), with Node 20's defaults.
public struct SocketOptions: Sendable {
    /// See ``ServerOptions/allowHalfOpen``.
    public var allowHalfOpen = false
    /// See ``ServerOptions/noDelay``.
    public var noDelay = false

    /// Node's defaults, changed by name.
    public init(allowHalfOpen: Bool = false, noDelay: Bool = false) {
        self.allowHalfOpen = allowHalfOpen
        self.noDelay = noDelay
    }
}

/// What `server.address()` and `socket.address()` return.
public struct AddressInfo: Sendable, Equatable {
    /// The IP address, e.g. `127.0.0.1` or `::`.
    public let address: String
    /// `IPv4` or `IPv6`.
    public let family: String
    /// The port number.
    public let port: Int
}
