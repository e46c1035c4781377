import NIOCore

/// Counts the bytes a connection receives for `socket.bytesRead` and the idle timer of
/// `socket.setTimeout`, when a protocol takes them before the socket's own handler does. It goes
/// in front of HTTP's and WebSocket's handlers (``NIOCore/ChannelPipeline/SynchronousOperations/addProtocolHandlers(_:for:)``),
/// behind TLS, so it counts what the program could read. Without it an HTTP socket's `bytesRead`
/// stayed 0, and a body arriving did not keep its idle timer from firing. Node counts at the same
/// place, the socket under the protocol (checked with node on 127.0.0.1: a client's
/// `res.socket.bytesRead` counts the response head and body). A plain socket counts in its own
/// handler: one handler less on each of its connections.
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

extension ChannelPipeline.SynchronousOperations {
    /// Puts a protocol's `handlers` in front of `socket`'s own handler (behind TLS, when there
    /// is TLS), with a ``ReadTally`` in front of the first protocol's.
    @NodeActor
    func addProtocolHandlers(_ handlers: [any ChannelHandler], for socket: Socket) throws {
        let socketHandler = try context(handlerType: SocketHandler.self).handler
        if !socket.readsTallied {
            try addHandler(ReadTally(socket: socket), position: .before(socketHandler))
            socket.readsTallied = true
        }
        try addHandlers(handlers, position: .before(socketHandler))
    }
}
