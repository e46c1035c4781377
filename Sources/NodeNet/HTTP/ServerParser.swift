import NIOCore
import NIOHTTP1

/// The HTTP parser in a server connection's pipeline: SwiftNIO's request decoder (llhttp, the
/// parser Node uses) between two small handlers that report to the ``ServerConnection``.
///
/// Pipeline: ``UpgradeEOFHold`` → ``MessageFraming`` → decoder → `RequestParts` → the socket's own
/// handler. Removing all four turns the connection back into a plain byte stream (after an upgrade).
@NodeActor final class ServerParser {
    private let start: UpgradeEOFHold
    private let framing: MessageFraming
    private let decoder: ByteToMessageHandler<HTTPRequestDecoder>
    private let parts: RequestParts

    init(connection: ServerConnection, maxHeaderSize: Int) {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = maxHeaderSize
        limits.maxHeaderListSize = maxHeaderSize
        start = UpgradeEOFHold(connection: connection)
        framing = MessageFraming(delegate: connection)
        decoder = ByteToMessageHandler(
            HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes, limitConfiguration: limits))
        parts = RequestParts(connection: connection, framing: framing)
    }

    func install(in channel: any Channel, for socket: Socket) throws {
        try channel.pipeline.syncOperations.addProtocolHandlers(
            [start, framing, decoder, parts], for: socket)
    }

    /// Parses bytes that were read before this parser was installed (after an upgrade nobody
    /// took), as if they had just arrived.
    func replay(_ bytes: Buffer, in channel: any Channel) {
        let context = try? channel.pipeline.syncOperations.context(handler: start)
        context?.fireChannelRead(NIOAny(bytes.storage))
    }

    /// Takes the parser out; bytes it held that were not HTTP go on to the socket, and then
    /// `completion` runs (the decoder hands its left-overs on in a later turn of the loop).
    func remove(from channel: any Channel, then completion: @escaping @NodeActor () -> Void) {
        let pipeline = channel.pipeline.syncOperations
        // The parts handler goes first, so that the decoder's left-over bytes reach the socket.
        for handler in [parts, framing, start] as [any RemovableChannelHandler] {
            if let context = try? pipeline.context(handler: handler) {
                pipeline.removeHandler(context: context, promise: nil)
            }
        }
        guard let context = try? pipeline.context(handler: decoder) else { return completion() }
        let removed = channel.eventLoop.makePromise(of: Void.self)
        removed.futureResult.whenCompleteOnNode { _ in completion() }
        pipeline.removeHandler(context: context, promise: removed)
    }
}

/// Hands each decoded part of a request to the connection, and parse errors as `clientError`.
private final class RequestParts: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    private let connection: ServerConnection
    private let framing: MessageFraming

    init(connection: ServerConnection, framing: MessageFraming) {
        self.connection = connection
        self.framing = framing
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data).withTrimmedHeaderValues
        if case .head(let head) = part { framing.headDecoded(BodyFraming(request: head)) }
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
            // Not the parser's: a socket error, which the socket reports.
            context.fireErrorCaught(error)
            return
        }
        NodeActor.run(connection) { connection in connection.fail(parseError) }
    }
}
