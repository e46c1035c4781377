import NIOCore

/// The SwiftNIO end of a ``Socket``: turns channel events into the socket's Node events.
///
/// It runs on the loop thread, as the socket does, so it steps straight into `@NodeActor` code.
/// Each method copies `socket` into a local first: the socket may cross into `@NodeActor` code,
/// the handler itself may not.
final class SocketHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let socket: Socket

    init(socket: Socket) {
        self.socket = socket
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        NodeActor.run(socket) { socket in socket.didBecomeActive(channel) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        NodeActor.run(socket) { socket in socket.didRead(bytes) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            NodeActor.run(socket) { socket in socket.didReadEOF() }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        NodeActor.run(socket) { socket in socket.fail(NodeError(error, syscall: "read")) }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        NodeActor.run(socket) { socket in socket.didClose() }
        context.fireChannelInactive()
    }
}
