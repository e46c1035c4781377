import NIOCore

/// What the load client saw in one measured round against one server: operations completed
/// inside the window, each one's latency, and the bytes moved (for throughput workloads).
struct RoundStats {
    /// When the measured window opens and closes; work outside it (connecting, warming up,
    /// draining) is not counted.
    let start: NIODeadline
    let end: NIODeadline
    private(set) var operations = 0
    private(set) var bytes = 0
    private(set) var lost = 0
    private(set) var latencies: [Int64] = []

    init(start: NIODeadline, seconds: Double) {
        self.start = start
        end = start + .nanoseconds(Int64(seconds * 1e9))
    }

    /// Whether `time` falls inside the measured window.
    func measures(_ time: NIODeadline) -> Bool { time >= start && time < end }

    /// One operation that began at `began` and finished now; counted if it began in the window
    /// and finished before it closed.
    mutating func completed(began: NIODeadline, bytes count: Int = 0) {
        let now = NIODeadline.now()
        guard measures(began), now < end else { return }
        operations += 1
        bytes += count
        latencies.append((now - began).nanoseconds)
    }

    /// Bytes known to have arrived inside the window, for workloads without request and reply.
    mutating func moved(_ count: Int) {
        guard measures(.now()) else { return }
        bytes += count
    }

    /// A request that got no answer in time (UDP): counted apart, never as an operation.
    mutating func timedOut(began: NIODeadline) {
        if measures(began) { lost += 1 }
    }

    /// The window's length in seconds.
    var seconds: Double { Double((end - start).nanoseconds) / 1e9 }

    /// This tally and `other`'s, of the same window, together: the client's threads each keep
    /// their own, and the round is their sum.
    func adding(_ other: RoundStats) -> RoundStats {
        precondition(start == other.start && end == other.end, "tallies of different windows")
        var sum = self
        sum.operations += other.operations
        sum.bytes += other.bytes
        sum.lost += other.lost
        sum.latencies += other.latencies
        return sum
    }
}

/// Latency percentiles in microseconds, nearest-rank, of a sample.
struct Percentiles {
    let p50: Double
    let p99: Double

    init?(nanoseconds sample: [Int64]) {
        guard !sample.isEmpty else { return nil }
        let sorted = sample.sorted()
        func rank(_ fraction: Double) -> Double {
            let index = min(sorted.count - 1, max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[index]) / 1000
        }
        p50 = rank(0.50)
        p99 = rank(0.99)
    }
}
