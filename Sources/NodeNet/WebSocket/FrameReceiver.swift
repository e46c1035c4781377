import NIOCore
import NIOWebSocket

/// The WebSocket's end of the pipeline: each frame SwiftNIO's decoder reads is shown to the
/// inspectors (`frameReceived`), checked against the ``FrameRules``, joined with the rest of its
/// message by the ``MessageAssembler``, and handed to the ``WebSocket`` whole.
///
/// One handler for the three steps, not one each: a frame takes one step through the pipeline
/// and one call into the loop's code, and an idle connection keeps one handler context, not
/// three (an upgraded connection was about 0.3 KiB larger with three). Frames out are written through
/// the socket, so that they count in its buffer, and meet the encoder.
final class FrameReceiver: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame

    private let webSocket: WebSocket
    private let rules: FrameRules
    private var assembler: MessageAssembler
    /// Set at the first violation: the connection is failing, and nothing after it is read.
    private var broken = false

    init(webSocket: WebSocket, options: WebSocketOptions) {
        self.webSocket = webSocket
        rules = FrameRules(fromClient: webSocket.isServer)
        assembler = MessageAssembler(maxPayload: options.maxPayload, maxFragments: options.maxFragments)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !broken else { return }
        let frame = unwrapInboundIn(data)
        let outcome: Result<WebSocketFrame?, ProtocolViolation>
        if let violation = rules.violation(in: frame) {
            outcome = .failure(violation)
        } else {
            do throws(ProtocolViolation) {
                outcome = .success(try assembler.take(frame))
            } catch {
                outcome = .failure(error)
            }
        }
        if case .failure = outcome { broken = true }
        NodeActor.run(webSocket) { webSocket in
            webSocket.inspect(received: frame)
            switch outcome {
            case .success(let message?): webSocket.received(message)
            case .success(nil): break  // a fragment, kept until its message is whole
            case .failure(let violation): webSocket.fail(violation)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The decoder's refusals (a frame too long, a fragmented control frame) are the peer's
        // violations; anything else is the socket's error: the socket reports it, and closes.
        guard let violation = ProtocolViolation(error) else { return context.fireErrorCaught(error) }
        guard !broken else { return }
        broken = true
        NodeActor.run(webSocket) { webSocket in webSocket.fail(violation) }
    }
}
