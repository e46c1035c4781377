import NIOCore

/// The shared tally of one round on one of the load client's event loops: every connection on
/// that loop adds to it. It is only touched on that loop, which is what makes it safe to share
/// between those connections' handlers; each loop has its own, and the round adds them up.
final class Recorder: @unchecked Sendable {
    var stats: RoundStats
    /// Everything done from the start signal to the last connection's stop, warm-up included:
    /// the server's CPU time over the same span is divided by these.
    private(set) var allOperations = 0
    private(set) var allBytes = 0
    private var running: Int
    private let finished: EventLoopPromise<Void>

    init(stats: RoundStats, connections: Int, finished: EventLoopPromise<Void>) {
        self.stats = stats
        running = connections
        self.finished = finished
    }

    /// One operation done; inside the window it also counts for throughput and latency.
    func completed(began: NIODeadline, bytes: Int = 0) {
        allOperations += 1
        allBytes += bytes
        stats.completed(began: began, bytes: bytes)
    }

    /// Bytes delivered with no operation to pair them with (the upload workload).
    func moved(_ bytes: Int) {
        allBytes += bytes
        stats.moved(bytes)
    }

    /// Completes when every connection on this loop has stopped, or fails with the first error.
    var done: EventLoopFuture<Void> { finished.futureResult }

    /// Whether a connection should start another operation now.
    var shouldContinue: Bool { NIODeadline.now() < stats.end }

    /// A connection has stopped; the round is over when every one has.
    func stopped() {
        running -= 1
        if running == 0 { finished.succeed() }
    }

    /// A connection failed: the round cannot be trusted.
    func failed(_ error: any Error) {
        finished.fail(error)
    }
}
