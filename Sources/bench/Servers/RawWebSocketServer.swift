import NIOCore
import NIOWebSocket

/// The §4 echo on SwiftNIO and NIOWebSocket alone: every data frame goes back as it came,
/// pings are answered, and a close is returned; a text message is printed as `websocket`
/// prints it.
final class RawWebSocketEchoHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let number: Int

    init(number: Int) {
        self.number = number
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary, .continuation:
            if frame.opcode == .text {
                let text = String(buffer: frame.unmaskedData)
                let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
                print("#\(number) text (\(text.utf8.count) bytes): \(shown)")
            }
            let echo = WebSocketFrame(fin: frame.fin, opcode: frame.opcode, data: frame.unmaskedData)
            context.write(wrapOutboundOut(echo), promise: nil)
        case .ping:
            context.write(
                wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)),
                promise: nil)
        case .connectionClose:
            print("#\(number) closed: \(frame.unmaskedData.getInteger(at: 0, as: UInt16.self) ?? 1005)")
            let close = WebSocketFrame(fin: true, opcode: .connectionClose, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(close)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        default: break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
