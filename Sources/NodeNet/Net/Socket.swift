import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP connection, Node's `net.Socket`: a duplex stream of bytes.
///
/// Events, in the order they fire: `connect` and `ready` (client side only), `data(Buffer)`,
/// `end` (the peer sent FIN), `finish` (our FIN is sent), `drain` (a `write` returned false and the
/// buffer has since emptied), `timeout` (idle; the socket stays open), `error(NodeError)`,
/// `close(hadError)`.
@NodeActor public class Socket: EventEmitter {
    /// The server that accepted this socket, if it is a server-side socket.
    public private(set) weak var server: Server?
    var channel: (any Channel)?
    let allowHalfOpen: Bool
    private var hold = LoopHold()

    private var life: SocketLife

    // Reading
    /// Flowing or not, the bytes read but not delivered, and the peer's end.
    private(set) var readable = ReadableState()
    private var reading = ReadDemand()
    private var utf8Decoder: UTF8ChunkBoundary?
    /// Bytes received so far.
    public private(set) var bytesRead = 0
    /// Bytes read but not yet delivered as `data` (a paused socket's, or one nobody reads).
    public var readableLength: Int { readable.length }
    /// The buffered amount at which the socket stops reading from the kernel (Node 20: 16384);
    /// one read may take it past that.
    public var readableHighWaterMark: Int { readable.highWaterMark }
    /// Whether the peer has ended its side (the `end` event has fired).
    public var readableEnded: Bool { readable.end == .emitted }

    // Writing
    /// The bytes not yet taken by the kernel, the `drain` owed, and how far `end()` has come.
    private var writable = WritableState()
    private var pendingBeforeConnect: [(OutboundMessage, (@NodeActor (NodeError?) -> Void)?)] = []
    /// Bytes handed to `write` so far (Node counts queued bytes too).
    public private(set) var bytesWritten = 0
    /// Bytes written but not yet taken by the kernel.
    public var writableLength: Int { writable.length }
    /// The buffered amount at which `write` returns false (Node 20: 16384).
    public var writableHighWaterMark: Int {
        get { writable.highWaterMark }
        set { writable.highWaterMark = newValue }
    }
    /// Whether `end()` has been called.
    public var writableEnded: Bool { writable.ended }
    /// Whether `finish` has fired: our FIN is sent.
    public var writableFinished: Bool { writable.finished }
    /// Whether a `write` returned false and its `drain` is still to come (never once `end()` is
    /// called, nor once the socket is destroyed).
    public var writableNeedDrain: Bool { writable.needsDrain && !destroyed }

    // Lifecycle
    /// Whether the socket is still connecting (client side).
    public var connecting: Bool { life == .connecting || life == .destroying(whileConnecting: true) }
    /// Whether the socket has been destroyed: from the moment `destroy()` is called (or connecting
    /// failed, or a write came after `end()`), as in Node, though `close` comes later.
    public var destroyed: Bool { life == .closed || destroyRequested }
    /// Whether `close` has fired.
    private var closed: Bool { life == .closed }
    /// Whether `destroy()` was called (or connecting failed) and the channel is closing.
    var destroyRequested: Bool {
        if case .destroying = life { true } else { false }
    }
    private var idle: IdleTimer?
    /// The protocol layer on this socket, told of its life before the listeners; let go at `close`.
    /// Given with ``handOver(to:)``.
    private(set) var owner: (any SocketOwner)?
    /// The listeners that tell the owner of an event the program was listening to before the
    /// hand-over; the owner is told of those events there, not before the listeners.
    private var ownerListeners: [Listener] = []

    /// The peer's address, once connected.
    public private(set) var remoteAddress: String?
    /// The peer's port, once connected.
    public private(set) var remotePort: Int?
    /// `IPv4` or `IPv6`, once connected.
    public var remoteFamily: String? {
        remoteAddress == nil ? nil : remoteIsIPv6 ? "IPv6" : "IPv4"
    }
    /// Our own address, once connected.
    public private(set) var localAddress: String?
    /// Our own port, once connected.
    public private(set) var localPort: Int?

    // The flags come last, where they fill the optional port's padding: every idle connection
    // has a socket, and this kept it within a smaller allocation.
    private var remoteIsIPv6 = false
    private var errorEmitted = false
    private var noDelay = false
    /// Whether a ``ReadTally`` counts what arrives, in front of a protocol's handlers.
    var readsTallied = false

    /// A client socket, not yet connected.
    init(options: SocketOptions) {
        allowHalfOpen = options.allowHalfOpen
        life = .connecting
        super.init()
        noDelay = options.noDelay
    }

    /// A server-side socket for a connection `server` accepted.
    init(server: Server, channel: any Channel) throws {
        self.server = server
        self.channel = channel
        allowHalfOpen = server.options.allowHalfOpen
        life = .open
        super.init()
        try installHandlers(in: channel)
        hold.activate()
    }

    /// Puts the socket's handler into a new connection's pipeline; a TLS socket puts TLS in
    /// front of it, and protocols go between them (``ReadTally``).
    func installHandlers(in channel: any Channel) throws {
        try channel.pipeline.syncOperations.addHandlerBehindBoundary(SocketHandler(socket: self))
    }

    /// What `NODENET_TRACE` prints: which side the socket is on.
    public override var traceLabel: String {
        "\(type(of: self))\(server == nil ? "" : "(server)")#\(handleID)"
    }

    func connect(port: Int, host: String) {
        hold.activate()
        // Node throws ERR_SOCKET_BAD_PORT from net.connect; here the connection fails with it on
        // the next turn, so a program without a listener ends with Node's words (not a trap).
        if let badPort = NodeError.badPort(port, allowZero: true) {
            return afterIOBatch { self.connectFailed(badPort) }
        }
        let noDelay = self.noDelay
        let bootstrap = ClientBootstrap(group: nodeLoopGroup)
            // Node sets no connect timeout of its own: the kernel gives up on an unanswered SYN
            // (ETIMEDOUT, after about two minutes on Linux). NIO's default would cut it at 10 s.
            .connectTimeout(.seconds(300))
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.tcpOption(.tcp_nodelay), value: noDelay ? 1 : 0)
            .channelInitializer { channel in channel.installOnNode(self.installHandlers) }
        // An address needs no lookup (Node skips dns.lookup for one too); a name goes through
        // getaddrinfo, off the loop.
        let connected =
            if let address = try? SocketAddress(ipAddress: host, port: port) {
                bootstrap.connect(to: address)
            } else {
                bootstrap.connect(host: host, port: port)
            }
        Quiescence.connectStarted(connected)
        connected.whenFailureOnNode { error in
            self.connectFailed(NodeError(error, syscall: "connect", address: "\(host):\(port)"))
        }
    }

    private func connectFailed(_ error: NodeError) {
        life = .destroying(whileConnecting: false)
        fail(error)
        didClose()
    }

    // MARK: The owner

    /// Gives the socket to `newOwner` (nil: to nobody), which is told of the socket's `error`,
    /// `drain`, `end` and `close` before the program's listeners, as Node's `http` adds its
    /// listeners before a program can.
    ///
    /// Where the program already listens to one of them (a socket upgraded to a WebSocket after
    /// the program listened at `connection`), the owner is told of it by a listener added now,
    /// after the program's: `ws` adds its listeners when it takes a socket over.
    func handOver(to newOwner: (any SocketOwner)?) {
        for listener in ownerListeners { off(listener) }
        ownerListeners = []
        owner = newOwner
        guard let newOwner else { return }
        // Held as the owner itself is, until `close` lets go of both.
        if listenerCount(.error) > 0 { ownerListeners.append(on(.error) { newOwner.socketFailed($0) }) }
        if listenerCount(.drain) > 0 { ownerListeners.append(on(.drain) { newOwner.socketDrained() }) }
        if listenerCount(.end) > 0 { ownerListeners.append(on(.end) { newOwner.socketEnded() }) }
        if listenerCount(.close) > 0 { ownerListeners.append(on(.close) { _ in newOwner.socketClosed() }) }
    }

    /// Whether the owner hears of `event` before the listeners, rather than from a listener.
    private func ownerIsToldFirst<Payload>(of event: Event<Socket, Payload>) -> Bool {
        ownerListeners.isEmpty || !ownerListeners.contains { $0.event == event.key }
    }

    // MARK: Events from the handler

    func didBecomeActive(_ channel: any Channel) {
        self.channel = channel
        // destroy() while connecting: the connection is cut as soon as it exists.
        if life == .destroying(whileConnecting: true) {
            life = .destroying(whileConnecting: false)
            channel.close(promise: nil)
            return
        }
        reading.apply(to: channel)
        if let remote = channel.remoteAddress.map(AddressInfo.init) {
            remoteAddress = remote.address
            remotePort = remote.port
            remoteIsIPv6 = remote.family == "IPv6"
        }
        if let local = channel.localAddress.map(AddressInfo.init) {
            localAddress = local.address
            localPort = local.port
        }
        if let server {
            server.connected(self)
            return
        }
        life = .open
        emit(.connect)
        emit(.ready)
        let queued = pendingBeforeConnect
        pendingBeforeConnect = []
        for (data, callback) in queued { send(data, callback) }
        if writableEnded { shutdownWhenFlushed() }
    }

    /// Bytes came in, for this socket or a protocol on it (``ReadTally``).
    func didReceive(_ count: Int) {
        bytesRead += count
        idle?.touch()
    }

    func didRead(_ bytes: ByteBuffer) {
        if !readsTallied { didReceive(bytes.readableBytes) }
        var chunk = Buffer(bytes)
        if var decoder = utf8Decoder {
            chunk = decoder.wholeCharacters(of: chunk)
            utf8Decoder = decoder
            if chunk.isEmpty { return }
        }
        if let now = readable.push(chunk) {
            emit(.data, now)
        } else if readable.isFull {
            // Kept until someone reads, as in Node; past a high-water mark's worth the kernel
            // keeps the rest and TCP slows the peer down.
            reading.stop(for: .bufferFull, on: channel)
        }
    }

    func didReadEOF() {
        readable.pushEnd()
        endIfConsumed()
    }

    /// Emits `end` once the peer's FIN has come and every byte before it has been taken. As in
    /// Node, that does not wait for a reader: a socket nobody reads, or a paused one, that was
    /// sent nothing more sees the end too (and closes, unless `allowHalfOpen`).
    private func endIfConsumed() {
        // A socket that reads nothing until resumed has, for the program, not seen the FIN yet.
        guard readable.endIsDue, !reading.reasons.contains(.untilResumed), readable.endEmitted() else {
            return
        }
        emitEnd()
        if !allowHalfOpen { end() }
        closeIfBothSidesDone()
    }

    func fail(_ error: NodeError) {
        guard !errorEmitted else { return }
        errorEmitted = true
        if let owner, ownerIsToldFirst(of: .error) {
            owner.socketFailed(error)
            // The owner has reported it: no listener is needed for it to be handled.
            if listenerCount(.error) == 0 { return }
        }
        emit(.error, error)
    }

    private func emitEnd() {
        if ownerIsToldFirst(of: .end) { owner?.socketEnded() }
        emit(.end)
    }

    func didClose() {
        guard !closed else { return }
        let askedFor = destroyRequested
        life = .closed
        idle?.stop()
        guard !askedFor else {
            // As Node, whose handle's close callback comes in a later phase of the loop than the
            // call: `close` after the code that called `destroy()`, its ticks and its immediates.
            _ = setImmediate { _ = setImmediate { self.emitClose(askedFor: true) } }
            return
        }
        // Never inside the call that closed it: our `end()` after the peer's FIN closes the
        // channel there and then, and Node's `close` (and `finish`) come later, after the rest of
        // the listeners that `end()` was called from.
        afterIOBatch { self.emitClose(askedFor: false) }
    }

    /// What `close` ends: the writes that never went, `end` for a close the peer made, `close`.
    private func emitClose(askedFor: Bool) {
        // SwiftNIO closes the whole channel when our FIN follows the peer's: that close is our
        // `finish`. A destroyed socket, as in Node, never finishes.
        if !errorEmitted && !askedFor { emitFinish() }
        writable.destroyed()
        // SwiftNIO folds "peer sent FIN" into the close when our side was already shut; Node
        // still reports it as `end`, so a clean close we did not ask for is the peer's FIN.
        if !errorEmitted && !askedFor && readable.isEmpty && !reading.reasons.contains(.untilResumed)
            && readable.endEmitted()
        {
            emitEnd()
        }
        let failedWrites = pendingBeforeConnect
        pendingBeforeConnect = []
        for case (_, let callback?) in failedWrites { callback(.writeAfterDestroy) }
        if ownerIsToldFirst(of: .close) { owner?.socketClosed() }
        emit(.close, errorEmitted)
        owner = nil
        ownerListeners = []
        releaseListeners()
        hold.deactivate()
        server?.disconnected(self)
    }

    // MARK: Reading

    /// Stops `data` events; bytes that arrive are kept. As in Node, the socket goes on reading
    /// until it holds `readableHighWaterMark` bytes; then the kernel's buffer fills and TCP slows
    /// the peer down. A client paused before it connects reads nothing until `resume()`, as
    /// Node does not start reading a socket that is paused when it connects.
    @discardableResult
    public func pause() -> Socket {
        readable.pause()
        if connecting { reading.stop(for: .untilResumed, on: channel) }
        return self
    }

    /// Whether reading is stopped: by `pause()`, or by the protocol on top (an HTTP server stops
    /// reading a client whose answers back up, as Node's does).
    public func isPaused() -> Bool {
        readable.flow == .paused
            || !reading.reasons.isDisjoint(with: [.bodyBackPressure, .pipelineBackPressure])
    }

    /// Restarts `data` events after `pause()`; bytes that arrived meanwhile come first.
    @discardableResult
    public func resume() -> Socket {
        let wasHeld = reading.allow(for: .untilResumed, on: channel)
        guard readable.resume() || wasHeld else { return self }
        afterIOBatch { self.deliverUnread() }
        return self
    }

    private func deliverUnread() {
        while let chunk = readable.nextWhileFlowing() {
            emit(.data, chunk)
        }
        if !readable.isFull && !destroyed {
            reading.allow(for: .bufferFull, on: channel)
        }
        endIfConsumed()
    }

    /// Stops or restarts reading for the protocol on top (HTTP's back-pressure); the socket's own
    /// reasons to stop stay in force.
    func setReadingStopped(_ stopped: Bool, for reason: ReadDemand.Reasons) {
        if stopped {
            reading.stop(for: reason, on: channel)
        } else {
            reading.allow(for: reason, on: channel)
        }
    }

    /// Whether the protocol on top has stopped reading for `reason`.
    func isReadingStopped(for reason: ReadDemand.Reasons) -> Bool {
        reading.reasons.contains(reason)
    }

    /// Pauses, and reads nothing more, not even the peer's FIN, until `resume()`: for a server's
    /// `pauseOnConnect`, and for a protocol handing the socket over (the bytes after an HTTP
    /// upgrade wait in the kernel until the new owner's handlers are in place).
    func pauseUntilResumed() {
        pause()
        reading.stop(for: .untilResumed, on: channel)
    }

    /// With `.utf8`, each `data` chunk holds whole characters only (a character split across two
    /// TCP segments waits for its last byte), so `toString()` never breaks one. Node's
    /// `setEncoding` turns chunks into strings; here they stay ``Buffer``s.
    @discardableResult
    public func setEncoding(_ encoding: Encoding? = .utf8) -> Socket {
        utf8Decoder = encoding == .utf8 ? UTF8ChunkBoundary() : nil
        return self
    }

    /// Takes the bytes read but not delivered, and leaves the socket as a new one is: nobody
    /// reading, nothing flowing until a `data` listener or `resume`. For a protocol handing the
    /// socket over (an HTTP upgrade), which passes the bytes on itself; reading stays stopped
    /// (``pauseUntilResumed()``) until the new owner reads.
    func takeUnreadForHandover() -> Buffer {
        let bytes = readable.takeAllForHandover()
        reading.allow(for: .bufferFull, on: channel)
        return bytes
    }

    /// A `data` listener starts the flow of data, as in Node.
    public override func listenerAdded(_ event: EventName) {
        if event == Event<Socket, Buffer>.data && readable.flow == .notYet { resume() }
    }

    // MARK: Writing

    /// Sends `data`. Returns false once more than `writableHighWaterMark` bytes wait for the kernel:
    /// stop writing then, and go on at `drain`. `callback` runs once the bytes are handed over, or
    /// with the error if they cannot be.
    @discardableResult
    public func write(_ data: Buffer, _ callback: (@NodeActor (NodeError?) -> Void)? = nil) -> Bool {
        write(OutboundMessage(data.storage), callback)
    }

    /// Writes a message for a handler in front of the socket's own (a WebSocket frame for the
    /// frame encoder), counted as `count` bytes, with the same buffering and `drain` as `write`.
    @discardableResult
    func write(_ data: OutboundMessage, _ callback: (@NodeActor (NodeError?) -> Void)? = nil) -> Bool {
        if readableEnded && !allowHalfOpen {
            // Node's writeAfterFIN: the peer is gone and we ended too; EPIPE, even once closed.
            afterIOBatch {
                callback?(.endedByPeer)
                if !self.destroyed { self.destroy(.endedByPeer) }
            }
            return false
        }
        if let refusal = writable.refusal(destroyed: destroyed) {
            // A write after end also destroys the socket, at once as Node's does (`destroyed` is
            // true when `write` returns); its error comes after the write's callback.
            if refusal == .afterEnd { life = .destroying(whileConnecting: connecting) }
            afterIOBatch {
                callback?(refusal.error)
                if refusal == .afterEnd { self.close(failing: refusal.error) }
            }
            return false
        }
        bytesWritten += data.count
        writable.queue(data.count)
        if connecting {
            pendingBeforeConnect.append((data, callback))
        } else {
            // The kernel may take the bytes at once: the answer counts what is still waiting.
            send(data, callback)
        }
        return writable.answer()
    }

    /// Sends the UTF-8 bytes of `text`.
    @discardableResult
    public func write(_ text: String, _ callback: (@NodeActor (NodeError?) -> Void)? = nil) -> Bool {
        write(Buffer(text), callback)
    }

    private func send(_ data: OutboundMessage, _ callback: (@NodeActor (NodeError?) -> Void)?) {
        guard let channel else { return }
        idle?.touch()
        let promise = channel.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenCompleteOnNode { result in self.didSend(data.count, result, callback) }
        // On the loop (the socket's actor runs there): the pipeline's own call, with no hop.
        channel.pipeline.syncOperations.writeAndFlush(data.message, promise: promise)
    }

    private func didSend(
        _ count: Int,
        _ result: Result<Void, any Error>,
        _ callback: (@NodeActor (NodeError?) -> Void)?
    ) {
        writable.handedOver(count)
        let error: NodeError? =
            switch result {
            case .success: nil
            case .failure(let error): NodeError(error, syscall: "write")
            }
        // As in Node, `drain` comes before the callback of the write that emptied the buffer.
        if error == nil && writable.takeDrain() {
            afterIOBatch {
                guard !self.destroyed else { return }
                if self.ownerIsToldFirst(of: .drain) { self.owner?.socketDrained() }
                self.emit(.drain)
            }
        }
        if let callback { afterIOBatch { callback(error) } }
        guard let error else { return shutdownWhenFlushed() }
        // The peer is gone (EPIPE, ECONNRESET): SwiftNIO closes the channel, and says so to no
        // handler unless a read meets the error too. Node destroys the socket with the write's
        // error. (A write that failed because the channel had closed is no news.)
        if case .failure(let failure) = result, !(failure is ChannelError) { destroy(error) }
    }

    /// Sends `data` if given, then FIN: we will write no more. The socket closes once the peer
    /// has ended too (at once when it already has, unless `allowHalfOpen`).
    ///
    /// `callback` runs at `finish`, before its listeners, or soon if the socket has already
    /// finished. Node also calls it, with an error, when the socket is destroyed first; this one
    /// cannot take an error and does not run then.
    public func end(_ data: Buffer? = nil, _ callback: (@NodeActor () -> Void)? = nil) {
        if let data { write(data) }
        if let callback, !destroyed, !writable.runAtFinish(callback) { afterIOBatch(callback) }
        guard !destroyed, writable.beginEnding() else { return }
        if !connecting { shutdownWhenFlushed() }
    }

    /// Sends the UTF-8 bytes of `text`, then FIN.
    public func end(_ text: String, _ callback: (@NodeActor () -> Void)? = nil) {
        end(Buffer(text), callback)
    }

    private func shutdownWhenFlushed() {
        // SwiftNIO turns an output shutdown into a full close once input is shut, and a full
        // close drops queued writes; waiting for our own queue to empty keeps every byte.
        guard writable.endIsDue, let channel else { return }
        writable.endSent()
        channel.close(mode: .output).whenCompleteOnNode { _ in self.didShutdownOutput() }
    }

    private func didShutdownOutput() {
        // SwiftNIO may report the shutdown inside `end()`; Node's `finish` always comes later,
        // and not at all once the socket is destroyed.
        afterIOBatch {
            guard !self.destroyed, !self.destroyRequested else { return }
            self.emitFinish()
            self.closeIfBothSidesDone()
        }
    }

    /// `finish`, once: `end`'s callbacks first, then the listeners, as in Node.
    private func emitFinish() {
        guard let callbacks = writable.finish() else { return }
        for callback in callbacks { callback() }
        emit(.finish)
    }

    private func closeIfBothSidesDone() {
        if readable.end == .emitted && writable.finished { channel?.close(promise: nil) }
    }

    /// Closes the connection at once, dropping unsent data. Returns before any event: `error`,
    /// if given, is emitted on the next tick, and `close` after this turn's immediates, as in Node.
    public func destroy(_ error: NodeError? = nil) {
        // As Node's destroy: a destroyed socket reports nothing more. Its listeners are gone by
        // then, so an `error` now would be unheard and stop the program (a write after `end()`
        // that races the peer's FIN ends in such a late destroy).
        guard !destroyed else { return }
        life = .destroying(whileConnecting: connecting)
        close(failing: error)
    }

    /// The rest of `destroy()`, once the socket counts as destroyed: the channel's close now, the
    /// error on the next tick (`close` is emitted once the channel has closed).
    private func close(failing error: NodeError?) {
        if let channel {
            channel.close(promise: nil)
        } else if !connecting {
            didClose()
        }
        // As Node: the error on the next tick, so the code that called `destroy` runs on first
        // (queued after the channel's close, whose own dispatch may drain the ticks queued so far).
        if let error { process.nextTick { self.fail(error) } }
    }

    /// Closes with a TCP RST instead of FIN, so the peer sees ECONNRESET.
    public func resetAndDestroy() {
        guard let channel, !destroyed else { return destroy() }
        life = .destroying(whileConnecting: false)
        // SO_LINGER with a zero timeout makes close() send RST and drop unsent data.
        guard let options = channel as? any SocketOptionProvider else { return close(failing: nil) }
        options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
    }

    // MARK: Options

    /// `setNoDelay(true)` turns Nagle's algorithm off: each write goes out at once, small or not.
    @discardableResult
    public func setNoDelay(_ noDelay: Bool = true) -> Socket {
        self.noDelay = noDelay
        channel?.setOption(.tcpOption(.tcp_nodelay), value: noDelay ? 1 : 0).whenFailure { _ in }
        return self
    }

    /// Turns TCP keep-alive probes on or off; the first after `initialDelay` ms of silence
    /// (0 leaves the system's value), then every second, ten times, as Node configures them.
    @discardableResult
    public func setKeepAlive(_ enable: Bool = false, initialDelay: Int = 0) -> Socket {
        guard let channel else { return self }
        channel.setOption(.socketOption(.so_keepalive), value: enable ? 1 : 0).whenFailure { _ in }
        if enable && initialDelay > 0 {
            let tcp = NIOBSDSocket.OptionLevel.tcp
            let settings = [
                (TCP_KEEPIDLE, max(1, initialDelay / 1000)), (TCP_KEEPINTVL, 1), (TCP_KEEPCNT, 10),
            ]
            for (name, value) in settings {
                let option = ChannelOptions.Types.SocketOption(
                    level: tcp, name: NIOBSDSocket.Option(rawValue: name))
                channel.setOption(option, value: value).whenFailure { _ in }
            }
        }
        return self
    }

    /// Emits `timeout` after `milliseconds` without reading or writing; 0 turns it off. The socket
    /// is *not* closed: the listener decides. `callback` is added as a `timeout` listener.
    @discardableResult
    public func setTimeout(_ milliseconds: Int, _ callback: (@NodeActor () -> Void)? = nil) -> Socket {
        if let callback { once(.timeout, callback) }
        idle?.stop()
        idle = nil
        if milliseconds > 0 {
            idle = IdleTimer(milliseconds: milliseconds) { [weak self] in
                guard let self, !self.destroyed else { return }
                self.emit(.timeout)
            }
        }
        return self
    }

    /// Our side's address, like `socket.address()`.
    public func address() -> AddressInfo? {
        channel?.localAddress.map(AddressInfo.init)
    }

    /// Keeps the program alive while the socket is open (the default).
    @discardableResult
    public func ref() -> Socket {
        hold.ref()
        return self
    }

    /// Lets the program end even though this socket is open.
    @discardableResult
    public func unref() -> Socket {
        hold.unref()
        return self
    }
}

/// What a socket writes: bytes, or a message a handler in front of the socket's turns into bytes.
///
/// Wrapped for SwiftNIO where its type is known: `NIOAny`'s wrapping is generic code, and given an
/// `any Sendable` it tried four casts on every write (a WebSocket frame failed all four), and the
/// frame encoder then unwrapped the frame through two existentials.
struct OutboundMessage {
    let message: NIOAny
    /// How many bytes it counts for in `writableLength` and `bytesWritten`.
    let count: Int

    init(_ bytes: ByteBuffer) {
        message = NIOAny(bytes)
        count = bytes.readableBytes
    }

    init<Message: Sendable>(_ message: Message, count: Int) {
        self.message = NIOAny(message)
        self.count = count
    }
}
