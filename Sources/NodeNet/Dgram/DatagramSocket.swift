import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A UDP socket, Node's `dgram.Socket`: an EventEmitter, not a stream. Each `message` is one whole
/// datagram; nothing connects, nothing is retried, and order is not kept.
///
/// Events: `listening`, `message((msg, rinfo))`, `close`, `error`.
@NodeActor public final class DatagramSocket: EventEmitter {
    /// `udp4` or `udp6`.
    public enum Kind: String, Sendable {
        /// IPv4.
        case udp4
        /// IPv6.
        case udp6
    }

    /// The address family this socket was created for.
    public let kind: Kind
    private let reuseAddress: Bool
    private var channel: (any Channel)?
    private var state = State.unbound
    private var sendsWhileBinding: [() -> Void] = []
    /// The system socket `addMembership` or `dropMembership` bound before `bind`, as libuv does.
    private var implicitSocket: ImplicitlyBoundSocket?
    private var hold = LoopHold()

    private enum State { case unbound, binding, bound, closed }

    init(kind: Kind, reuseAddress: Bool) {
        self.kind = kind
        self.reuseAddress = reuseAddress
    }

    /// Binds to `port` (0: any free one) on `address` (default: every interface), then emits
    /// `listening`; `callback` is added as a `listening` listener. Binding twice throws
    /// `ERR_SOCKET_ALREADY_BOUND`; a busy port is an `error` event (EADDRINUSE). After an
    /// `addMembership` or `dropMembership` before `bind`, the system socket is bound already and
    /// this is an `error` event, EINVAL, as in Node.
    public func bind(_ port: Int = 0, _ address: String? = nil, _ callback: (@NodeActor () -> Void)? = nil)
        throws
    {
        guard state != .closed else { throw NodeError.dgramNotRunning }
        guard state == .unbound else { throw NodeError.alreadyBound }
        if let callback { once(.listening, callback) }
        let host = address ?? (kind == .udp4 ? "0.0.0.0" : "::")
        let otherFamily = (try? SocketAddress(ipAddress: host, port: 0)).map(isOfTheOtherFamily) ?? false
        guard implicitSocket == nil, !otherFamily else {
            sendsWhileBinding = []
            let detail = port > 0 ? "\(host):\(port)" : host
            let error = NodeError(errno: EINVAL, syscall: "bind", detail: detail)
            return afterIOBatch { self.emit(.error, error) }
        }
        state = .binding
        hold.activate()
        DatagramBootstrap(group: nodeLoopGroup)
            .channelOption(.socketOption(.so_reuseaddr), value: reuseAddress ? 1 : 0)
            // NIO reads into 2048-byte buffers by default and would cut larger datagrams short;
            // a UDP payload can be up to 65507 bytes (IPv4), so read into buffers that can hold one.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65536))
            .channelInitializer { channel in
                channel.installOnNode {
                    try $0.pipeline.syncOperations.addHandlerBehindBoundary(DatagramHandler(socket: self))
                }
            }
            .bind(host: host, port: port)
            .whenCompleteOnNode { result in self.didBind(result, address: "\(host):\(port)") }
    }

    private func didBind(_ result: Result<any Channel, any Error>, address: String) {
        switch result {
        case .success(let channel) where state == .closed:
            channel.close(promise: nil)
        case .success(let channel):
            self.channel = channel
            state = .bound
            emit(.listening)
            let queued = sendsWhileBinding
            sendsWhileBinding = []
            for send in queued { send() }
        case .failure(let error):
            state = .unbound
            hold.deactivate()
            sendsWhileBinding = []
            emit(.error, NodeError(error, syscall: "bind", address: address))
        }
    }

    /// Sends one datagram to `port` on `address` (default: loopback). An unbound socket is bound
    /// to a free port first, as in Node. `callback` gets the error, if any, and the bytes sent;
    /// with no callback a failed send is dropped unreported, as Node drops it (so a peer whose
    /// message makes the reply too big, `EMSGSIZE`, cannot stop a server that has no callback).
    /// Throws `ERR_SOCKET_DGRAM_NOT_RUNNING` after `close()`, and `ERR_SOCKET_BAD_PORT` for a
    /// port outside 1…65535.
    public func send(
        _ message: Buffer,
        _ port: Int,
        _ address: String? = nil,
        _ callback: (@NodeActor (NodeError?, Int) -> Void)? = nil
    ) throws {
        guard state != .closed else { throw NodeError.dgramNotRunning }
        if let badPort = NodeError.badPort(port, allowZero: false) { throw badPort }
        let host = address ?? (kind == .udp4 ? "127.0.0.1" : "::1")
        let deliver = { self.transmit(message, to: host, port, callback) }
        switch state {
        case .bound: deliver()
        case .binding: sendsWhileBinding.append(deliver)
        case .unbound:
            sendsWhileBinding.append(deliver)
            try bind()
        case .closed: break
        }
    }

    /// Sends the UTF-8 bytes of `text`.
    public func send(
        _ text: String,
        _ port: Int,
        _ address: String? = nil,
        _ callback: (@NodeActor (NodeError?, Int) -> Void)? = nil
    ) throws {
        try send(Buffer(text), port, address, callback)
    }

    private func transmit(
        _ message: Buffer,
        to host: String,
        _ port: Int,
        _ callback: (@NodeActor (NodeError?, Int) -> Void)?
    ) {
        guard let channel else { return }
        let report: @NodeActor (NodeError?) -> Void = { error in
            callback?(error, error == nil ? message.count : 0)
        }
        // Parsed once per datagram: a reply's address is parsed again for every send.
        guard let target = try? SocketAddress(ipAddress: host, port: port), !isOfTheOtherFamily(target) else {
            let error = NodeError(errno: EINVAL, syscall: "send", detail: "\(host):\(port)")
            return afterIOBatch { report(error) }
        }
        let promise = channel.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenCompleteOnNode { result in
            switch result {
            case .success: report(nil)
            case .failure(let error): report(NodeError(error, syscall: "send", address: "\(host):\(port)"))
            }
        }
        // Wrapped here, where its type is known, as a socket's writes are (see `OutboundMessage`).
        channel.pipeline.syncOperations.writeAndFlush(
            NIOAny(AddressedEnvelope(remoteAddress: target, data: message.storage)), promise: promise)
    }

    /// An IPv6 address for a `udp4` socket, or an IPv4 one for `udp6`: Node's `bind` and `send`
    /// fail with EINVAL (a `udp4` socket bound to `::1` would otherwise be an IPv6 socket).
    private func isOfTheOtherFamily(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4: return kind == .udp6
        case .v6: return kind == .udp4
        case .unixDomainSocket: return false
        }
    }

    func didReceive(_ envelope: AddressedEnvelope<ByteBuffer>) {
        guard state == .bound else { return }  // Nothing is delivered after close().
        let sender = AddressInfo(envelope.remoteAddress)
        let info = RemoteInfo(
            address: sender.address,
            family: sender.family,
            port: sender.port,
            size: envelope.data.readableBytes
        )
        // The datagram's bytes alone: the read buffer is 64 KiB (the largest datagram), and a
        // program that keeps a message must not keep all of that with it.
        emit(.message, (Buffer(ByteBuffer(bytes: envelope.data.readableBytesView)), info))
    }

    func didFail(_ error: any Error) {
        emit(.error, NodeError(error, syscall: "recvmsg"))
    }

    /// Our own address, once bound (`listening`).
    public func address() -> AddressInfo? {
        channel?.localAddress.map(AddressInfo.init) ?? implicitSocket?.address()
    }

    /// Closes the socket: `close` fires, and no `message` after it. `callback` is added as a
    /// `close` listener. Closing twice throws `ERR_SOCKET_DGRAM_NOT_RUNNING`.
    public func close(_ callback: (@NodeActor () -> Void)? = nil) throws {
        guard state != .closed else { throw NodeError.dgramNotRunning }
        if let callback { once(.close, callback) }
        state = .closed
        sendsWhileBinding = []
        channel?.close(promise: nil)
        channel = nil
        implicitSocket?.close()
        implicitSocket = nil
        hold.deactivate()
        afterIOBatch {
            self.emit(.close)
            self.releaseListeners()
        }
    }

    // MARK: Options (Node's are synchronous, and fail with EBADF while there is no system socket)

    private func setOption(_ name: String, level: Int32, _ option: Int32, _ value: Int) throws {
        if state == .unbound, let implicitSocket {
            return try implicitSocket.setOption(level: level, option, Int32(value), syscall: name)
        }
        guard let options = channel?.syncOptions, state == .bound else {
            throw NodeError(errno: EBADF, syscall: name)
        }
        let socketOption = ChannelOptions.Types.SocketOption(
            level: NIOBSDSocket.OptionLevel(rawValue: level),
            name: NIOBSDSocket.Option(rawValue: option)
        )
        try options.setOption(socketOption, value: value)
    }

    /// Allows sending to broadcast addresses (SO_BROADCAST).
    public func setBroadcast(_ flag: Bool) throws {
        try setOption("setBroadcast", level: SOL_SOCKET, SO_BROADCAST, flag ? 1 : 0)
    }

    /// How many routers a unicast datagram may cross (IP_TTL, IPV6_UNICAST_HOPS; Node's
    /// `setTTL`, whose default is the system's, 64 on Linux).
    public func setTTL(_ ttl: Int) throws {
        if kind == .udp4 {
            try setOption("setTTL", level: Int32(IPPROTO_IP), IP_TTL, ttl)
        } else {
            try setOption("setTTL", level: Int32(IPPROTO_IPV6), IPV6_UNICAST_HOPS, ttl)
        }
    }

    /// How many routers a multicast datagram may cross (IP_MULTICAST_TTL; Node's default is 1).
    public func setMulticastTTL(_ ttl: Int) throws {
        if kind == .udp4 {
            try setOption("setMulticastTTL", level: Int32(IPPROTO_IP), IP_MULTICAST_TTL, ttl)
        } else {
            try setOption("setMulticastTTL", level: Int32(IPPROTO_IPV6), IPV6_MULTICAST_HOPS, ttl)
        }
    }

    /// Whether our own multicast datagrams come back to us (IP_MULTICAST_LOOP).
    public func setMulticastLoopback(_ flag: Bool) throws {
        if kind == .udp4 {
            try setOption("setMulticastLoopback", level: Int32(IPPROTO_IP), IP_MULTICAST_LOOP, flag ? 1 : 0)
        } else {
            try setOption(
                "setMulticastLoopback", level: Int32(IPPROTO_IPV6), IPV6_MULTICAST_LOOP, flag ? 1 : 0)
        }
    }

    /// Sends multicast datagrams out of the interface whose IPv4 address is `interface`
    /// (IP_MULTICAST_IF), e.g. `127.0.0.1` to keep them on this machine.
    public func setMulticastInterface(_ interface: String) throws {
        let implicitSocket = state == .unbound && kind == .udp4 ? self.implicitSocket : nil
        let provider = channel as? any SocketOptionProvider
        guard implicitSocket != nil || (provider != nil && state == .bound && kind == .udp4) else {
            throw NodeError(errno: EBADF, syscall: "setMulticastInterface")
        }
        var address = in_addr()
        guard inet_pton(AF_INET, interface, &address) == 1 else {
            throw NodeError(errno: EINVAL, syscall: "setMulticastInterface", detail: interface)
        }
        if let implicitSocket {
            return try implicitSocket.setOption(
                level: Int32(IPPROTO_IP), IP_MULTICAST_IF, address, syscall: "setMulticastInterface")
        }
        guard let provider else { return }
        var failure: (any Error)?
        provider.setIPMulticastIF(address).assumeIsolated().whenFailure { failure = $0 }
        if let failure { throw NodeError(failure, syscall: "setMulticastInterface") }
    }

    /// Joins the IPv4 multicast group `group`, on the interface whose address is `interface`
    /// (default: the system's choice). Before `bind`, this binds the system socket to a free port
    /// first, as Node does; a later `bind()` then fails with EINVAL.
    public func addMembership(_ group: String, _ interface: String? = nil) throws {
        try changeMembership(group, interface, join: true)
    }

    /// Leaves a multicast group joined with ``addMembership(_:_:)``. Before `bind`, it binds the
    /// system socket as `addMembership` does, then fails with EADDRNOTAVAIL (no group was joined).
    public func dropMembership(_ group: String, _ interface: String? = nil) throws {
        try changeMembership(group, interface, join: false)
    }

    private func changeMembership(_ group: String, _ interface: String?, join: Bool) throws {
        let name = join ? "addMembership" : "dropMembership"
        let unbound = state == .unbound
        guard unbound || (channel is any SocketOptionProvider && state == .bound) else {
            throw NodeError(errno: EBADF, syscall: name)
        }
        var request = ip_mreq()
        guard kind == .udp4, inet_pton(AF_INET, group, &request.imr_multiaddr) == 1 else {
            throw NodeError(errno: EINVAL, syscall: name, detail: group)
        }
        // By interface address, as Node does (IP_ADD_MEMBERSHIP): SwiftNIO's joinGroup insists on
        // a device flagged MULTICAST, which Linux's loopback is not, though the kernel allows it.
        request.imr_interface.s_addr = INADDR_ANY
        if let interface, inet_pton(AF_INET, interface, &request.imr_interface) != 1 {
            throw NodeError(errno: EINVAL, syscall: name, detail: interface)
        }
        if unbound {
            // libuv binds on the spot (uv__udp_maybe_deferred_bind), before the option is tried.
            let socket = try implicitSocket ?? ImplicitlyBoundSocket(syscall: name)
            implicitSocket = socket
            let option = join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP
            return try socket.setOption(level: Int32(IPPROTO_IP), option, request, syscall: name)
        }
        guard let provider = channel as? any SocketOptionProvider else { return }
        var failure: (any Error)?
        provider.unsafeSetSocketOption(
            level: NIOBSDSocket.OptionLevel(rawValue: Int32(IPPROTO_IP)),
            name: NIOBSDSocket.Option(rawValue: join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP),
            value: request
        ).assumeIsolated().whenFailure { failure = $0 }
        if let failure { throw NodeError(failure, syscall: name) }
    }

    /// Keeps the program alive while the socket is bound (the default).
    @discardableResult
    public func ref() -> DatagramSocket {
        hold.ref()
        return self
    }

    /// Lets the program end even though this socket is bound.
    @discardableResult
    public func unref() -> DatagramSocket {
        hold.unref()
        return self
    }
}

extension Event where Emitter: DatagramSocket, Payload == Void {
    /// The socket is bound and receiving.
    public static var listening: Self { Self("listening") }
    /// The socket was closed with `close()`; no `message` follows.
    public static var close: Self { Self("close") }
}

extension Event where Emitter: DatagramSocket, Payload == (Buffer, RemoteInfo) {
    /// One datagram arrived: its bytes, and who sent it (`{ msg, rinfo in … }`).
    public static var message: Self { Self("message") }
}

extension Event where Emitter: DatagramSocket, Payload == NodeError {
    /// Binding or sending failed. With no listener, the program stops, as in Node.
    public static var error: Self { Self("error") }
}

/// The SwiftNIO end of a ``DatagramSocket``.
final class DatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let socket: DatagramSocket

    init(socket: DatagramSocket) { self.socket = socket }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        NodeActor.run(socket) { socket in socket.didReceive(envelope) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        NodeActor.run(socket) { socket in socket.didFail(error) }
    }
}
