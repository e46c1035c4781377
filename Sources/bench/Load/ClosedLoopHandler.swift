import NIOCore

/// One connection of a closed-loop client: after the opening exchange it sends a request,
/// waits for the whole answer, and sends the next, until the round's window has closed.
final class ClosedLoopHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent down the pipeline (from the driver) when every connection is ready.
    struct Start {}

    private enum Phase {
        case opening
        case ready
        case waiting(since: NIODeadline)
        case stopped
    }

    private let exchange: Exchange
    private let recorder: Recorder
    private let ready: EventLoopPromise<Void>
    private var phase = Phase.opening
    private var received: ByteBuffer?
    private var request: ByteBuffer?

    init(exchange: Exchange, recorder: Recorder, ready: EventLoopPromise<Void>) {
        self.exchange = exchange
        self.recorder = recorder
        self.ready = ready
    }

    func channelActive(context: ChannelHandlerContext) {
        request = context.channel.allocator.buffer(bytes: exchange.request)
        if !exchange.opening.isEmpty {
            context.writeAndFlush(
                wrapOutboundOut(context.channel.allocator.buffer(bytes: exchange.opening)), promise: nil)
        }
        if case .none = exchange.openingReply { becomeReady() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if received == nil { received = bytes } else { received!.writeBuffer(&bytes) }
        do {
            while let buffer = received {
                let reply: Reply
                switch phase {
                case .opening: reply = exchange.openingReply
                case .waiting: reply = exchange.reply
                case .ready, .stopped: return
                }
                guard let length = try reply.length(in: buffer) else { return }
                received!.moveReaderIndex(forwardBy: length)
                if received!.readableBytes == 0 { received = nil }
                answered(context: context, length: length)
            }
        } catch {
            fail(context: context, error)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is Start, case .ready = phase { send(context: context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch phase {
        case .stopped: break
        default: fail(context: context, BenchError("the server closed a connection in the middle of a round"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, error)
    }

    private func becomeReady() {
        phase = .ready
        ready.succeed()
    }

    private func answered(context: ChannelHandlerContext, length: Int) {
        switch phase {
        case .opening: becomeReady()
        case .waiting(let since):
            recorder.completed(began: since, bytes: length)
            if recorder.shouldContinue {
                send(context: context)
            } else {
                phase = .stopped
                recorder.stopped()
                context.close(promise: nil)
            }
        case .ready, .stopped: break
        }
    }

    private func send(context: ChannelHandlerContext) {
        phase = .waiting(since: .now())
        context.writeAndFlush(wrapOutboundOut(request!), promise: nil)
    }

    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        if case .stopped = phase { return }
        phase = .stopped
        ready.fail(error)
        recorder.failed(error)
        context.close(promise: nil)
    }
}
