import NIOCore
import NIOPosix

/// The load client every server gets: SwiftNIO on `--client-threads` event-loop threads (one by
/// default), in this process, so that on two cores the server under test has the other core. It
/// connects first, waits until every connection is ready, then starts them all at once; a
/// round's window opens after `warmup`.
struct LoadClient {
    let group: MultiThreadedEventLoopGroup

    /// What one round gave: the window's tally, everything done over the whole round, and on
    /// how many threads.
    struct Round {
        let stats: RoundStats
        let allOperations: Int
        let allBytes: Int
        let threads: Int
    }

    /// `connections` connections to `port`, each repeating `exchange` (closed loop).
    func closedLoop(port: Int, exchange: Exchange, connections: Int, warmup: Double, seconds: Double) throws
        -> Round
    {
        try round(connections: connections, warmup: warmup, seconds: seconds) { lane, ready in
            tcp(port, on: lane.loop) {
                ClosedLoopHandler(exchange: exchange, recorder: lane.recorder, ready: ready)
            }
        }
    }

    /// `connections` connections to `port`, each writing `chunk`-byte buffers as fast as it can.
    func upload(port: Int, chunk: Int, connections: Int, warmup: Double, seconds: Double) throws -> Round {
        try round(connections: connections, warmup: warmup, seconds: seconds) { lane, ready in
            tcp(port, on: lane.loop) { UploadHandler(chunk: chunk, recorder: lane.recorder, ready: ready) }
        }
    }

    /// `sockets` UDP sockets, each sending `message` to `port` and waiting for the answer.
    func datagrams(port: Int, message: [UInt8], sockets: Int, warmup: Double, seconds: Double) throws -> Round
    {
        let server = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        return try round(connections: sockets, warmup: warmup, seconds: seconds) { lane, ready in
            DatagramBootstrap(group: lane.loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            DatagramHandler(
                                server: server, message: message, patience: .milliseconds(200),
                                recorder: lane.recorder))
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
    /// Returns on how many threads the connections were.
    @discardableResult
    func hold(port: Int, exchange: Exchange, connections: Int, _ body: () throws -> Void) throws -> Int {
        let lanes = Lane.spread(connections, over: group, stats: RoundStats(start: .now(), seconds: 0))
        var channels: [any Channel] = []
        defer {
            let closed = channels.map { $0.close() }
            _ = try? EventLoopFuture.whenAllComplete(closed, on: lanes[0].loop).wait()
        }
        try connect(lanes, into: &channels) { lane, ready in
            tcp(port, on: lane.loop) {
                ClosedLoopHandler(exchange: exchange, recorder: lane.recorder, ready: ready)
            }
        }
        try body()
        return lanes.count
    }

    /// A TCP connection to 127.0.0.1:`port` on `loop` (Nagle off, as every server here has it)
    /// with the handler `makeHandler` makes.
    private func tcp(
        _ port: Int, on loop: any EventLoop, _ makeHandler: @escaping @Sendable () -> any ChannelHandler
    ) -> EventLoopFuture<any Channel> {
        ClientBootstrap(group: loop)
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
        _ lanes: [Lane], into channels: inout [any Channel],
        _ connect: (Lane, EventLoopPromise<Void>) -> EventLoopFuture<any Channel>
    ) throws {
        let assigned = Lane.assign(lanes)
        for batch in stride(from: 0, to: assigned.count, by: 100) {
            let batchLanes = assigned[batch..<min(assigned.count, batch + 100)]
            let promises = batchLanes.map { $0.loop.makePromise(of: Void.self) }
            let connected = zip(batchLanes, promises).map { connect($0, $1) }
            for future in connected { channels.append(try future.wait()) }
            try EventLoopFuture.andAllSucceed(promises.map(\.futureResult), on: lanes[0].loop).wait()
        }
    }

    /// Connects every connection, starts them together, and waits for the round to end (at
    /// most 30 s after its window, which only a stuck server reaches).
    private func round(
        connections: Int, warmup: Double, seconds: Double,
        connect: (Lane, EventLoopPromise<Void>) -> EventLoopFuture<any Channel>
    ) throws -> Round {
        // The window is placed once everyone is connected (below); until then it lies ahead.
        let lanes = Lane.spread(
            connections, over: group, stats: RoundStats(start: .now() + .hours(1), seconds: seconds))
        var channels: [any Channel] = []
        defer { for channel in channels { channel.close(promise: nil) } }
        try self.connect(lanes, into: &channels, connect)
        // One window for every thread, so that their tallies add up.
        let window = RoundStats(start: .now() + .nanoseconds(Int64(warmup * 1e9)), seconds: seconds)
        for lane in lanes {
            try lane.loop.submit { lane.recorder.stats = window }.wait()
        }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(ClosedLoopHandler.Start())
        }
        let guards = lanes.map { lane in
            lane.loop.scheduleTask(in: .nanoseconds(Int64((warmup + seconds + 30) * 1e9))) {
                lane.recorder.failed(BenchError("a round did not end within 30 s of its window"))
            }
        }
        defer { for timer in guards { timer.cancel() } }
        try EventLoopFuture.andAllSucceed(lanes.map(\.recorder.done), on: lanes[0].loop).wait()
        let tallies = try lanes.map { lane in
            try lane.loop.submit { [recorder = lane.recorder] in
                (recorder.stats, recorder.allOperations, recorder.allBytes)
            }.wait()
        }
        return Round(
            stats: tallies.dropFirst().reduce(tallies[0].0) { $0.adding($1.0) },
            allOperations: tallies.map(\.1).reduce(0, +), allBytes: tallies.map(\.2).reduce(0, +),
            threads: lanes.count)
    }
}
