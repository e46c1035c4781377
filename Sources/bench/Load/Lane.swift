import NIOCore
import NIOPosix

/// One of the load client's threads (an event loop) in a round: its share of the connections,
/// and the tally they keep there.
struct Lane: Sendable {
    let loop: any EventLoop
    let recorder: Recorder
    let connections: Int

    /// `connections` spread over `group`'s loops as evenly as they go, connection i on loop
    /// i mod n. A loop gets no lane without a connection, so one connection runs on one thread
    /// however many the client has.
    static func spread(_ connections: Int, over group: MultiThreadedEventLoopGroup, stats: RoundStats)
        -> [Lane]
    {
        let loops = Array(group.makeIterator().prefix(max(1, connections)))
        return loops.enumerated().map { index, loop in
            let share = connections / loops.count + (index < connections % loops.count ? 1 : 0)
            return Lane(
                loop: loop,
                recorder: Recorder(stats: stats, connections: share, finished: loop.makePromise()),
                connections: share)
        }
    }

    /// Which lane each connection goes to, in the order they are opened.
    static func assign(_ lanes: [Lane]) -> [Lane] {
        let total = lanes.map(\.connections).reduce(0, +)
        return (0..<total).map { lanes[$0 % lanes.count] }
    }
}
