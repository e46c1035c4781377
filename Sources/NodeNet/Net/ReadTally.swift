import NIOCore

/// Counts the bytes a connection receives, for `socket.bytesRead` and the idle timer of
/// `socket.setTimeout`, whatever protocol then takes them. It sits behind TLS (so it counts what
/// the program could read, as before) and in front of HTTP's and WebSocket's parsers, which hand
/// bytes to the socket's own handler only after an upgrade: without it, an HTTP socket's
/// `bytesRead` stayed 0 and a body arriving did not keep its idle timer from firing. Node counts
/// at the same place, the socket under the protocol (checked with node on 127.0.0.1: a client's
/// `res.socket.bytesRead` counts the response head and body).
final class ReadTally: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let socket: Socket

    init(socket: Socket) {
        self.socket = socket
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        NodeActor.run(socket) { socket in socket.didReceive(count) }
        context.fireChannelRead(data)
    }
}
