import NIOCore
import NIOWebSocket

/// The WebSocket framing in a socket's pipeline, in front of the socket's own handler:
///
/// encoder ← SwiftNIO's `WebSocketFrameEncoder`, frames out to bytes
/// decoder → SwiftNIO's `WebSocketFrameDecoder`, bytes in to frames (one whole frame at a time)
/// rules → ours: masking and reserved bits and opcodes, which SwiftNIO leaves to its users
/// assembler → ours, a fragmented message to one frame within the connection's limits (control
///              frames pass at once; see ``MessageAssembler``)
/// tap → ours: hands frames and violations to the ``WebSocket``
@NodeActor enum FrameHandlers {
    static func install(
        for webSocket: WebSocket, on socket: Socket, options: WebSocketOptions, in channel: any Channel
    ) throws {
        try channel.pipeline.syncOperations.addProtocolHandlers(
            [
                WebSocketFrameEncoder(),
                // SwiftNIO's decoder refuses a frame size over 4 GiB when it is made.
                ByteToMessageHandler(
                    WebSocketFrameDecoder(maxFrameSize: min(options.maxPayload, Int(UInt32.max)))),
                FrameRules(webSocket: webSocket, fromClient: webSocket.isServer),
                MessageAssembler(maxPayload: options.maxPayload, maxFragments: options.maxFragments),
                FrameTap(webSocket: webSocket),
            ],
            for: socket)
    }

    /// Bytes that arrived with the handshake, before the framing was installed: decoded as if
    /// they had just been read (handed to the decoder, past anything in front of it, like TLS).
    static func replay(_ bytes: ByteBuffer, in channel: any Channel) {
        let encoder = try? channel.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
        encoder?.fireChannelRead(NIOAny(bytes))
    }
}

/// What SwiftNIO's decoder lets through but RFC 6455 forbids without extensions: reserved bits,
/// reserved opcodes, and masking the wrong way round (clients must mask, servers must not).
/// Each frame is also shown to the WebSocket's inspectors here, before reassembly.
private final class FrameRules: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    private let webSocket: WebSocket
    private let fromClient: Bool
    private var broken = false

    init(webSocket: WebSocket, fromClient: Bool) {
        self.webSocket = webSocket
        self.fromClient = fromClient
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !broken else { return }
        let frame = unwrapInboundIn(data)
        NodeActor.run(webSocket) { webSocket in webSocket.inspect(received: frame) }
        if let violation = check(frame) {
            broken = true
            context.fireErrorCaught(violation)
            return
        }
        context.fireChannelRead(data)
    }

    private func check(_ frame: WebSocketFrame) -> ProtocolViolation? {
        let invalid = { (code: NodeError.Code, what: String) in
            ProtocolViolation(1002, code, "Invalid WebSocket frame: \(what)")
        }
        if frame.rsv1 { return invalid(.wsUnexpectedRSV1, "RSV1 must be clear") }
        if frame.rsv2 { return invalid(.wsUnexpectedRSV23, "RSV2 and RSV3 must be clear") }
        if frame.rsv3 { return invalid(.wsUnexpectedRSV23, "RSV2 and RSV3 must be clear") }
        let opcode = UInt8(webSocketOpcode: frame.opcode)
        if !(0...2).contains(opcode) && !(8...10).contains(opcode) {
            return invalid(.wsInvalidOpcode, "invalid opcode \(opcode)")
        }
        if fromClient && frame.maskKey == nil { return invalid(.wsExpectedMask, "MASK must be set") }
        if !fromClient && frame.maskKey != nil {
            return invalid(.wsUnexpectedMask, "MASK must be clear")
        }
        return nil
    }
}

/// The WebSocket's end of the pipeline: whole messages and control frames in. (Frames out are
/// written through the socket, so that they count in its buffer, and meet the encoder.)
private final class FrameTap: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    private let webSocket: WebSocket
    private var broken = false

    init(webSocket: WebSocket) {
        self.webSocket = webSocket
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !broken else { return }
        let frame = unwrapInboundIn(data)
        NodeActor.run(webSocket) { webSocket in webSocket.received(frame) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let violation = ProtocolViolation(error) else {
            // A socket error: the socket reports it, and closes.
            return context.fireErrorCaught(error)
        }
        guard !broken else { return }
        broken = true
        NodeActor.run(webSocket) { webSocket in webSocket.fail(violation) }
    }
}
