import NIOCore
import NIOPosix

/// A TCP server, as `net.createServer` returns it.
///
/// Events: `listening`, `connection(socket)`, `drop(info)` (a connection refused past
/// ``maxConnections``), `close` (once closed *and* every connection has ended), `error`.
@NodeActor public class Server: EventEmitter {
    let options: ServerOptions
    private var channel: (any Channel)?
    private var state = State.idle
    private var connections = 0
    private var hold = LoopHold()
    private var closeCallbacks: [@NodeActor (NodeError?) -> Void] = []
    /// Whether a closed server's listening socket is still being closed: `close` waits for it, so
    /// that in its callback the port refuses connections and can be bound again, as in Node.
    private var listenerClosing = false

    private enum State { case idle, binding, listening, closed }

    init(options: ServerOptions) {
        self.options = options
    }

    /// Whether the server is accepting connections.
    public var listening: Bool { state == .listening }

    /// The most connections open at once (Node: `server.maxConnections`); unset (the default),
    /// no limit. A connection accepted while this many are open is closed at once, before the
    /// program or a protocol (TLS, HTTP) sees a byte of it, and `drop` fires: a flood of
    /// connections cannot take more than this many sockets, buffers and handlers.
    public var maxConnections: Int?

    /// Starts accepting connections on `port` (0: any free port). With no `host` it listens on
    /// `::`, every interface, IPv4 included, as Node does. `callback` is added as a `listening`
    /// listener.
    @discardableResult
    public func listen(
        _ port: Int = 0,
        _ host: String? = nil,
        _ callback: (@NodeActor () -> Void)? = nil
    ) -> Server {
        if let callback { once(.listening, callback) }
        guard state == .idle || state == .closed else {
            afterIOBatch { self.emit(.error, .listenTwice) }
            return self
        }
        // Node throws it; here it is the server's `error` (see `Socket.connect`).
        if let badPort = NodeError.badPort(port, allowZero: true, name: "options.port") {
            afterIOBatch { self.emit(.error, badPort) }
            return self
        }
        state = .binding
        hold.activate()
        let host = host ?? "::"
        var bootstrap = ServerBootstrap(group: nodeLoopGroup)
            .serverChannelOption(.backlog, value: Int32(options.backlog))
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: options.noDelay ? 1 : 0)
            // A listening server is kept alive by its channel, as Node's loop keeps it: the program
            // may drop its own reference. The cycle ends when the listening channel closes.
            .childChannelInitializer { channel in channel.installOnNode { try self.accept($0) } }
        // Starting small: SwiftNIO keeps each connection's last read buffer for the next read, so
        // its first size is what every idle connection holds. Reads grow to `readSize` while the
        // peer keeps them full.
        let size = options.readSize ?? 65536
        let allocator = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: min(512, size), maximum: size)
        bootstrap = bootstrap.childChannelOption(.recvAllocator, value: allocator)
        bootstrap.bind(host: host, port: port).whenCompleteOnNode { result in
            self.didBind(result, host: host, port: port)
        }
        return self
    }

    private func didBind(_ result: Result<any Channel, any Error>, host: String, port: Int) {
        switch result {
        case .success(let channel):
            self.channel = channel
            state = .listening
            emit(.listening)
        case .failure(let error):
            state = .idle
            hold.deactivate()
            emit(.error, NodeError(error, syscall: "listen", address: "\(host):\(port)"))
        }
    }

    /// Serves a connection over a channel the caller made and drives, as if `listen` had
    /// accepted it: how the fuzzer feeds a server bytes through an `EmbeddedChannel`, no socket.
    package func accept(driving channel: any Channel) throws {
        try accept(channel)
    }

    /// A connection whose pipeline cannot be set up (it closed already) is dropped: the error
    /// fails the channel's initializer and NIO closes it, before the program ever sees it.
    private func accept(_ channel: any Channel) throws {
        if let limit = maxConnections, connections >= limit {
            emit(.drop, DroppedConnection(channel))
            throw ConnectionDropped()
        }
        let socket = try makeSocket(for: channel)
        connections += 1
        do {
            try prepare(socket, channel)
        } catch {
            // The socket's handler is in: destroying it closes the channel and counts it out.
            socket.destroy()
            throw error
        }
        // Before the channel is registered: not a byte is read until the program resumes.
        if options.pauseOnConnect { socket.pauseUntilResumed() }
    }

    /// The socket for a connection just accepted: a plain one, or (TLS) a secure one.
    func makeSocket(for channel: any Channel) throws -> Socket {
        try Socket(server: self, channel: channel)
    }

    /// Lets a server built on this one (HTTP) add its protocol to a new connection's pipeline.
    func prepare(_ socket: Socket, _ channel: any Channel) throws {}

    /// Called by a socket of this server once it has connected (its handler saw `channelActive`).
    func connected(_ socket: Socket) {
        emit(.connection, socket)
    }

    /// Called by a socket of this server once it has closed.
    func disconnected(_ socket: Socket) {
        connections -= 1
        emitCloseIfDrained()
    }

    /// The address the server listens on, or `nil` before `listening`.
    public func address() -> AddressInfo? {
        channel?.localAddress.map(AddressInfo.init)
    }

    /// Stops accepting new connections. Open connections go on; `close` fires, and `callback`
    /// runs, once the last one has ended. Closing a server that is not listening gives
    /// `ERR_SERVER_NOT_RUNNING` to `callback`.
    public func close(_ callback: (@NodeActor (NodeError?) -> Void)? = nil) {
        guard state == .listening, let channel else {
            if let callback { afterIOBatch { callback(.serverNotRunning) } }
            return
        }
        if let callback { closeCallbacks.append(callback) }
        state = .closed
        self.channel = nil
        listenerClosing = true
        channel.closeFuture.whenCompleteOnNode { _ in
            self.listenerClosing = false
            self.emitCloseIfDrained()
        }
        channel.close(promise: nil)
        hold.deactivate()
        emitCloseIfDrained()
    }

    private func emitCloseIfDrained() {
        guard state == .closed, connections == 0, !listenerClosing else { return }
        let callbacks = closeCallbacks
        closeCallbacks = []
        afterIOBatch {
            guard self.state == .closed else { return }
            for callback in callbacks { callback(nil) }
            self.emit(.close)
        }
    }

    /// Passes the number of open connections to `callback`, as Node's asynchronous API does.
    public func getConnections(_ callback: @escaping @NodeActor (NodeError?, Int) -> Void) {
        let count = connections
        afterIOBatch { callback(nil, count) }
    }

    /// Keeps the program alive while listening (the default).
    @discardableResult
    public func ref() -> Server {
        hold.ref()
        return self
    }

    /// Lets the program end even though the server is listening.
    @discardableResult
    public func unref() -> Server {
        hold.unref()
        return self
    }
}

extension Event where Emitter: Server, Payload == Void {
    /// The server is bound and accepting (after `listen`).
    public static var listening: Self { Self("listening") }
    /// The server has closed and its last connection has ended.
    public static var close: Self { Self("close") }
}

/// Fails the initializer of a connection past ``Server/maxConnections``, so that SwiftNIO closes it
/// unregistered: the client sees its connection accepted and ended, as Node's closes it.
private struct ConnectionDropped: Error {}

/// Both ends of a connection ``Server/maxConnections`` refused, as Node's `drop` event gives them.
public struct DroppedConnection: Sendable, Equatable {
    /// The server's address the client connected to.
    public let localAddress: String
    /// The server's port.
    public let localPort: Int
    /// `IPv4` or `IPv6`.
    public let localFamily: String
    /// The client's address.
    public let remoteAddress: String
    /// The client's port.
    public let remotePort: Int
    /// `IPv4` or `IPv6`.
    public let remoteFamily: String

    init(_ channel: any Channel) {
        let local = channel.localAddress.map(AddressInfo.init)
        let remote = channel.remoteAddress.map(AddressInfo.init)
        localAddress = local?.address ?? ""
        localPort = local?.port ?? 0
        localFamily = local?.family ?? ""
        remoteAddress = remote?.address ?? ""
        remotePort = remote?.port ?? 0
        remoteFamily = remote?.family ?? ""
    }
}

extension Event where Emitter: Server, Payload == DroppedConnection {
    /// A connection was closed as soon as it was accepted, because ``Server/maxConnections``
    /// were open; the payload says who it was.
    public static var drop: Self { Self("drop") }
}

extension Event where Emitter: Server, Payload == Socket {
    /// A client connected; the payload is the server's side of the connection.
    public static var connection: Self { Self("connection") }
}

extension Event where Emitter: Server, Payload == NodeError {
    /// Listening failed (EADDRINUSE, EACCES, …).
    public static var error: Self { Self("error") }
}
