import NIOCore
import NIOHTTP1

/// The HTTP parser in a client connection's pipeline: SwiftNIO's response decoder (llhttp)
/// between two small handlers.
///
/// The decoder must see each request's head to know which responses have no body (to `HEAD`,
/// `CONNECT`), so the socket's raw writes are wrapped as request parts on their way past it, and
/// unwrapped again below it. Pipeline, head side first: ``MessageFraming`` → `RequestBytes` →
/// decoder → `ResponseParts` → the socket's own handler. Before all of them, ``UpgradeEOFHold``
/// keeps the server's FIN back while the socket is handed over, and `ConnectGuard` holds back
/// what follows a CONNECT response's head, which llhttp would otherwise try to read as HTTP.
@NodeActor final class ClientParser {
    private let eofHold: UpgradeEOFHold
    private let connectGuard = ConnectGuard()
    private let framing: MessageFraming
    private let requestBytes = RequestBytes()
    private var decoder: ByteToMessageHandler<HTTPResponseDecoder>
    private let parts: ResponseParts
    /// The most header bytes a response may have (see ``RequestOptions/maxHeaderSize``).
    private(set) var maxHeaderSize: Int

    init(connection: ClientConnection, maxHeaderSize: Int) {
        eofHold = UpgradeEOFHold(connection: connection)
        framing = MessageFraming(delegate: connection)
        parts = ResponseParts(connection: connection, framing: framing)
        decoder = Self.decoder(maxHeaderSize: maxHeaderSize)
        self.maxHeaderSize = maxHeaderSize
    }

    /// A response decoder that fails with `HPE_HEADER_OVERFLOW` past `maxHeaderSize` bytes of
    /// headers, as the server's does (see ``ServerParser``).
    private static func decoder(maxHeaderSize: Int) -> ByteToMessageHandler<HTTPResponseDecoder> {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = maxHeaderSize
        limits.maxHeaderListSize = maxHeaderSize
        return ByteToMessageHandler(
            HTTPResponseDecoder(
                leftOverBytesStrategy: .forwardBytes, informationalResponseStrategy: .forward,
                limitConfiguration: limits))
    }

    /// Between two responses of a kept connection: a request with another `maxHeaderSize` gets a
    /// decoder with that limit (Node sets it on the parser for each request).
    func limitHeaders(to size: Int, in channel: any Channel) {
        guard size != maxHeaderSize else { return }
        let pipeline = channel.pipeline.syncOperations
        guard let old = try? pipeline.context(handler: decoder) else { return }
        let fresh = Self.decoder(maxHeaderSize: size)
        guard (try? pipeline.addHandler(fresh, position: .before(parts))) != nil else { return }
        pipeline.removeHandler(context: old, promise: nil)
        decoder = fresh
        maxHeaderSize = size
    }

    func install(in channel: any Channel, for socket: Socket) throws {
        try channel.pipeline.syncOperations.addProtocolHandlers(
            [eofHold, connectGuard, framing, requestBytes, decoder, parts], for: socket)
    }

    /// Tells the decoder which request the next response answers.
    func announce(_ head: HTTPRequestHead) {
        framing.requestMethod = head.method
        guard head.method == .CONNECT else { return parts.announce(head) }
        // SwiftNIO's decoder would read no body after any CONNECT answer, but a refusal (407)
        // has one. Announced as a GET, the body of a refusal is read; the guard stops a 2xx.
        var asGet = head
        asGet.method = .GET
        parts.announce(asGet)
        connectGuard.arm()
    }

    /// The CONNECT was refused: what followed the head is HTTP after all (the refusal's body).
    func releaseConnectGuard() {
        connectGuard.release()
    }

    /// The CONNECT was answered `1xx` first: the guard looks for the end of the next head.
    func rearmConnectGuard() {
        connectGuard.rearm()
    }

    /// Takes the parser out; the bytes after the response head go on to the socket, and then
    /// `completion` runs. Nothing may write to the socket meanwhile (nobody has it yet).
    func remove(from channel: any Channel, then completion: @escaping @NodeActor () -> Void) {
        let pipeline = channel.pipeline.syncOperations
        for handler in [parts, requestBytes, framing] as [any RemovableChannelHandler] {
            if let context = try? pipeline.context(handler: handler) {
                pipeline.removeHandler(context: context, promise: nil)
            }
        }
        let guards: [any RemovableChannelHandler] = [connectGuard, eofHold]
        let removeGuard: @NodeActor () -> Void = {
            // Removing the guard passes on what it held back, after the decoder's own left-overs.
            for handler in guards {
                if let context = try? pipeline.context(handler: handler) {
                    pipeline.removeHandler(context: context, promise: nil)
                }
            }
            completion()
        }
        guard let context = try? pipeline.context(handler: decoder) else { return removeGuard() }
        let removed = channel.eventLoop.makePromise(of: Void.self)
        removed.futureResult.whenCompleteOnNode { _ in removeGuard() }
        pipeline.removeHandler(context: context, promise: removed)
    }
}

/// While a CONNECT is outstanding, lets bytes through only up to the end of the response head
/// (the first empty line) and keeps the rest: after a `200` they belong to the tunnel.
private final class ConnectGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private var armed = false
    private var headEnded = false
    /// Whether the head has begun: llhttp skips empty lines before a status line.
    private var headBegun = false
    private var lineEndsSeen: [UInt8] = []
    private var held: ByteBuffer?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func arm() {
        armed = true
        headEnded = false
        headBegun = false
        lineEndsSeen = []
    }

    /// After an informational head: what was held is the next head and what follows it.
    func rearm() {
        let pending = held
        held = nil
        arm()
        if let pending, let context { channelRead(context: context, data: wrapInboundOut(pending)) }
    }

    func release() {
        armed = false
        if let held, let context {
            self.held = nil
            context.fireChannelRead(wrapInboundOut(held))
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let held {
            self.held = nil
            context.fireChannelRead(wrapInboundOut(held))
        }
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard armed else { return context.fireChannelRead(data) }
        var bytes = unwrapInboundIn(data)
        if headEnded {
            hold(bytes)
        } else if let end = headEnd(in: bytes), let head = bytes.readSlice(length: end) {
            headEnded = true
            // Held first: the head's answer may release the guard while it is being read.
            if bytes.readableBytes > 0 { hold(bytes) }
            context.fireChannelRead(wrapInboundOut(head))
        } else {
            context.fireChannelRead(data)
        }
    }

    private func hold(_ bytes: ByteBuffer) {
        if held == nil { held = bytes } else { held!.writeImmutableBuffer(bytes) }
    }

    /// Where the head ends in `bytes` (just after CR LF CR LF), counting what earlier chunks ended with.
    private func headEnd(in bytes: ByteBuffer) -> Int? {
        let pattern: [UInt8] = [13, 10, 13, 10]
        for (offset, byte) in bytes.readableBytesView.enumerated() {
            if !headBegun {
                guard byte != 13 && byte != 10 else { continue }
                headBegun = true
            }
            lineEndsSeen.append(byte)
            if lineEndsSeen.count > 4 { lineEndsSeen.removeFirst() }
            if lineEndsSeen == pattern { return offset + 1 }
        }
        return nil
    }
}

/// Below the decoder: request parts back to bytes (a head announcement writes nothing).
private final class RequestBytes: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = ByteBuffer

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .body(.byteBuffer(let bytes)): context.write(wrapOutboundOut(bytes), promise: promise)
        case .head, .end, .body: promise?.succeed()
        }
    }
}

/// Above the decoder: response parts to the connection; the socket's bytes wrapped as request
/// parts, so the decoder (which watches writes) lets them by.
private final class ResponseParts: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = HTTPClientRequestPart
    private let connection: ClientConnection
    private let framing: MessageFraming
    private var context: ChannelHandlerContext?

    init(connection: ClientConnection, framing: MessageFraming) {
        self.connection = connection
        self.framing = framing
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func announce(_ head: HTTPRequestHead) {
        context?.write(wrapOutboundOut(.head(head)), promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(wrapOutboundOut(.body(.byteBuffer(unwrapOutboundIn(data)))), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data).withTrimmedHeaderValues
        if case .head(let head) = part {
            framing.headDecoded(BodyFraming(response: head, method: framing.requestMethod))
        }
        NodeActor.run(connection) { connection in
            switch part {
            case .head(let head): connection.didReceiveHead(head)
            case .body(let bytes): connection.didReceiveBody(bytes)
            case .end(let trailers): connection.didReceiveEnd(trailers)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = NodeError(parseError: error) else {
            context.fireErrorCaught(error)
            return
        }
        NodeActor.run(connection) { connection in
            if parseError.kind == .hpeInvalidEOFState {
                connection.endedMidMessage()
            } else {
                connection.fail(parseError)
            }
        }
    }
}
