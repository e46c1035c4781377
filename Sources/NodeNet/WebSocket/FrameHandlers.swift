import NIOCore
import NIOWebSocket

/// The WebSocket framing in a socket's pipeline, in front of the socket's own handler:
///
/// encoder ← SwiftNIO's `WebSocketFrameEncoder`, frames out to bytes
/// decoder → SwiftNIO's `WebSocketFrameDecoder`, bytes in to frames (one whole frame at a time)
/// receiver → ours (``FrameReceiver``): the rules SwiftNIO leaves to its users (masking, reserved
///            bits and opcodes: ``FrameRules``), a fragmented message joined into one frame
///            within the connection's limits (``MessageAssembler``), and the ``WebSocket``
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
                FrameReceiver(webSocket: webSocket, options: options),
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
