import NIOCore

/// One connection of the throughput workload: it writes `chunk`-sized buffers for as long as
/// the socket takes them, until the window closes, and drops whatever the server answers.
/// A write counts once the kernel has taken it; the socket's buffers bound what is counted
/// but not yet read by the server.
final class UploadHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let recorder: Recorder
    private let ready: EventLoopPromise<Void>
    private let chunk: Int
    private var payload: ByteBuffer?
    private var started = false
    private var stopped = false

    init(chunk: Int, recorder: Recorder, ready: EventLoopPromise<Void>) {
        self.chunk = chunk
        self.recorder = recorder
        self.ready = ready
    }

    func channelActive(context: ChannelHandlerContext) {
        payload = context.channel.allocator.buffer(repeating: UInt8(ascii: "x"), count: chunk)
        ready.succeed()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ClosedLoopHandler.Start, !started else { return }
        started = true
        pump(context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if started { pump(context: context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !stopped { recorder.failed(BenchError("the server closed a connection in the middle of a round")) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !stopped { recorder.failed(error) }
        context.close(promise: nil)
    }

    /// Writes while the channel is writable; the next writability change continues.
    private func pump(context: ChannelHandlerContext) {
        let size = chunk
        let recorder = recorder
        while context.channel.isWritable, !stopped {
            guard recorder.shouldContinue else {
                stopped = true
                recorder.stopped()
                context.close(promise: nil)
                return
            }
            let promise = context.eventLoop.makePromise(of: Void.self)
            promise.futureResult.whenSuccess { recorder.moved(size) }
            context.writeAndFlush(wrapOutboundOut(payload!), promise: promise)
        }
    }
}
