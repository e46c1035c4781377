import NIOCore

/// One UDP socket of the datagram workload: it sends a datagram, waits for the answer, and
/// sends the next. A datagram unanswered after `patience` is counted as lost and the socket
/// moves on, because UDP may drop either one.
final class DatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let recorder: Recorder
    private let server: SocketAddress
    private let message: [UInt8]
    private let patience: TimeAmount
    private var began: NIODeadline?
    private var timeout: Scheduled<Void>?
    private var stopped = false

    init(server: SocketAddress, message: [UInt8], patience: TimeAmount, recorder: Recorder) {
        self.server = server
        self.message = message
        self.patience = patience
        self.recorder = recorder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let began, !stopped else { return }
        timeout?.cancel()
        recorder.completed(began: began, bytes: unwrapInboundIn(data).data.readableBytes)
        next(context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ClosedLoopHandler.Start, began == nil { next(context: context) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A refused datagram (ECONNREFUSED from an ICMP) means the server is gone.
        recorder.failed(error)
    }

    private func next(context: ChannelHandlerContext) {
        guard recorder.shouldContinue else {
            stopped = true
            recorder.stopped()
            return
        }
        let now = NIODeadline.now()
        began = now
        let envelope = AddressedEnvelope(
            remoteAddress: server, data: context.channel.allocator.buffer(bytes: message))
        context.writeAndFlush(wrapOutboundOut(envelope), promise: nil)
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: patience) { [self] in
            recorder.stats.timedOut(began: now)
            next(context: context)
        }
    }
}
