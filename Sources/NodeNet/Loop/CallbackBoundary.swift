import NIOCore

/// The first handler of every NodeNet pipeline: it makes one NIO event's whole trip through the
/// pipeline one callback, so `nextTick` callbacks queued on the way run once it is over (the
/// decoders and the TLS handler have finished with the bytes), and before the next event, as
/// Node drains its tick queue after each callback into JavaScript.
final class CallbackBoundary: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Never

    func channelRegistered(context: ChannelHandlerContext) {
        NodeActor.dispatching { context.fireChannelRegistered() }
    }

    func channelUnregistered(context: ChannelHandlerContext) {
        NodeActor.dispatching { context.fireChannelUnregistered() }
    }

    func channelActive(context: ChannelHandlerContext) {
        NodeActor.dispatching { context.fireChannelActive() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        NodeActor.dispatching { context.fireChannelInactive() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        NodeActor.dispatching { context.fireChannelRead(data) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        NodeActor.dispatching { context.fireChannelReadComplete() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        NodeActor.dispatching { context.fireChannelWritabilityChanged() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        NodeActor.dispatching { context.fireUserInboundEventTriggered(event) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        NodeActor.dispatching { context.fireErrorCaught(error) }
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// Puts a ``CallbackBoundary`` first, then `handler`: the start of every NodeNet pipeline.
    func addHandlerBehindBoundary(_ handler: some ChannelHandler) throws {
        try addHandler(CallbackBoundary())
        try addHandler(handler)
    }
}
