import NIOCore
import NIOPosix

/// The load client every server gets: SwiftNIO on one event-loop thread, in this process, so
/// that the server under test has the other core. It connects first, waits until every
/// connection is ready, then starts them all at once; a round's window opens after `warmup`.
struct LoadClient {
    let group: MultiThreadedEventLoopGroup

    /// What one round gave: the window's tally, and everything done over the whole round.
    struct Round {
        let stats: RoundStats
        let allOperations: Int
        let allBytes: Int
    }

    /// `connections` connections to `port`, each repeating `exchange` (closed loop).
    func closedLoop(port: Int, exchange: Exchange, connections: Int, warmup: Double, seconds: Double) throws
        -> Round
    {
        try round(connections: connections, warmup: warmup, seconds: seconds) { recorder, ready in
            tcp(port) { ClosedLoopHandler(exchange: exchange, recorder: recorder, ready: ready) }
        }
    }

    /// `connections` connections to `port`, each writing `chunk`-byte buffers as fast as it can.
    func upload(port: Int, chunk: Int, connections: Int, warmup: Double, seconds: Double) throws -> Round {
        try round(connections: connections, warmup: warmup, seconds: seconds) { recorder, ready in
            tcp(port) { UploadHandler(chunk: chunk, recorder: recorder, ready: ready) }
        }
    }

    /// `sockets` UDP sockets, each sending `message` to `port` and waiting for the answer.
    func datagrams(port: Int, message: [UInt8], sockets: Int, warmup: Double, seconds: Double) throws -> Round
    {
        let server = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        return try round(connections: sockets, warmup: warmup, seconds: seconds) { recorder, ready in
            DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            DatagramHandler(
                                server: server, message: message, patience: .milliseconds(200),
                                recorder: recorder))
                    }
                }
                .bind(host: "127.0.0.1", port: 0)
                .map { channel in
                    ready.succeed()
                    return channel
                }
        }
    }

    /// Opens `connections` connections to `port`, takes each through `exchange`'s opening (the
    /// greeting, the WebSocket handshake), runs `body` while they sit idle, then closes them.
    func hold(port: Int, exchange: Exchange, connections: Int, _ body: () throws -> Void) throws {
        let loop = group.next()
        let recorder = Recorder(
            stats: RoundStats(start: .now(), seconds: 0), connections: connections,
            finished: loop.makePromise())
        var channels: [any Channel] = []
        defer {
            let closed = channels.map { $0.close() }
            _ = try? EventLoopFuture.whenAllComplete(closed, on: loop).wait()
        }
        try connect(connections, on: loop, into: &channels) { ready in
            tcp(port) { ClosedLoopHandler(exchange: exchange, recorder: recorder, ready: ready) }
        }
        try body()
    }

    /// A TCP connection to 127.0.0.1:`port` (Nagle off, as every server here has it) with the
    /// handler `makeHandler` makes.
    private func tcp(_ port: Int, _ makeHandler: @escaping @Sendable () -> any ChannelHandler)
        -> EventLoopFuture<any Channel>
    {
        ClientBootstrap(group: group)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(makeHandler())
                }
            }
            .connect(host: "127.0.0.1", port: port)
    }

    /// Connects in batches, so that a listen backlog is never overrun, and waits until every
    /// connection says it is ready.
    private func connect(
        _ count: Int, on loop: any EventLoop, into channels: inout [any Channel],
        _ connect: (EventLoopPromise<Void>) -> EventLoopFuture<any Channel>
    ) throws {
        for batch in stride(from: 0, to: count, by: 100) {
            let size = min(count, batch + 100) - batch
            let promises = (0..<size).map { _ in loop.makePromise(of: Void.self) }
            let connected = promises.map { connect($0) }
            for future in connected { channels.append(try future.wait()) }
            try EventLoopFuture.andAllSucceed(promises.map(\.futureResult), on: loop).wait()
        }
    }

    /// Connects every connection, starts them together, and waits for the round to end (at
    /// most 30 s after its window, which only a stuck server reaches).
    private func round(
        connections: Int, warmup: Double, seconds: Double,
        connect: (Recorder, EventLoopPromise<Void>) -> EventLoopFuture<any Channel>
    ) throws -> Round {
        let loop = group.next()
        let finished = loop.makePromise(of: Void.self)
        // The window is placed once everyone is connected (below); until then it lies ahead.
        let recorder = Recorder(
            stats: RoundStats(start: .now() + .hours(1), seconds: seconds), connections: connections,
            finished: finished)
        var channels: [any Channel] = []
        defer { for channel in channels { channel.close(promise: nil) } }
        try self.connect(connections, on: loop, into: &channels) { connect(recorder, $0) }
        try loop.submit {
            recorder.stats = RoundStats(start: .now() + .nanoseconds(Int64(warmup * 1e9)), seconds: seconds)
        }.wait()
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(ClosedLoopHandler.Start())
        }
        let guardTimer = loop.scheduleTask(in: .nanoseconds(Int64((warmup + seconds + 30) * 1e9))) {
            finished.fail(BenchError("a round did not end within 30 s of its window"))
        }
        defer { guardTimer.cancel() }
        try finished.futureResult.wait()
        return try loop.submit {
            Round(stats: recorder.stats, allOperations: recorder.allOperations, allBytes: recorder.allBytes)
        }.wait()
    }
}
