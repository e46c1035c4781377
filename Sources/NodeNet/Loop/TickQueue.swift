import NIOCore

/// Node's nextTick queue (`process.nextTick`): callbacks that run right after the callback that
/// queued them, before the loop goes on to other I/O, timers, immediates or resumed tasks.
///
/// Every callback from SwiftNIO into `@NodeActor` code goes through `NodeActor.assumeIsolated`,
/// which drains the queue when the outermost one returns, as Node drains it after each callback it
/// makes into JavaScript. An event passing through a pipeline counts as one callback from its
/// start (see ``CallbackBoundary``), so the runtime's own handlers have finished with it first.
/// A tick queued where no such callback is running (the continuation of a `Task` after an
/// `await`) runs as the loop's next task instead.
///
/// The one difference from Node that remains: Swift has no microtask queue. A `Task` started in
/// a callback is a job on the loop's queue, so it runs after the current I/O batch, where a
/// resolved promise's `then` runs before the next I/O callback in Node.
@NodeActor final class TickQueue {
    static let shared = TickQueue()

    /// How many `NodeActor.assumeIsolated` calls and pipeline dispatches are running, nested.
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

    /// One callback returned: if it was the outermost, the queue drains.
    func leave() {
        depth -= 1
        // Most callbacks queue no tick: looking once is cheaper than setting up a drain.
        if depth == 0 && !pending.isEmpty { drain() }
    }

    /// Runs every queued tick, also the ones they queue, in order.
    private func drain() {
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
