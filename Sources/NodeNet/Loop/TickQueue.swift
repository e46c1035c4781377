import NIOCore

/// Node's `nextTick` queue: callbacks that run right after the callback that queued them, before
/// the loop goes on to other I/O, timers, immediates or resumed tasks.
///
/// Every callback from SwiftNIO into `@NodeActor` code goes through `NodeActor.assumeIsolated`,
/// which drains the queue when the outermost one returns, as Node drains it after each callback it
/// makes into JavaScript. A tick queued where no such callback is running (the continuation of a
/// `Task` after an `await`) runs as the loop's next task instead.
@NodeActor final class TickQueue {
    static let shared = TickQueue()

    /// How many `NodeActor.assumeIsolated` calls are running, nested.
    var depth = 0
    private var pending: [@NodeActor () -> Void] = []
    private var draining = false
    private var drainScheduled = false

    func add(_ tick: @escaping @NodeActor () -> Void) {
        pending.append(tick)
        guard depth == 0, !draining, !drainScheduled else { return }
        drainScheduled = true
        // An empty callback: its end drains the queue.
        nodeLoop.execute { NodeActor.assumeIsolated { TickQueue.shared.drainScheduled = false } }
    }

    /// Runs every queued tick, also the ones they queue, in order.
    func drain() {
        guard !draining else { return }
        draining = true
        defer { draining = false }
        var next = 0
        while next < pending.count {
            let tick = pending[next]
            next += 1
            tick()
        }
        pending.removeAll(keepingCapacity: true)
    }
}
