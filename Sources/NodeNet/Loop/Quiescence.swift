import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Whether anything left on the loop could still run a callback: for a test harness that waits
/// for an event, and should stop waiting as soon as nothing could bring it (a kata's stub never
/// answers; waiting out the test's deadline only makes the student wait).
///
/// The loop is *idle* when, for several turns in a row, it made no callback into `@NodeActor`
/// code, and nothing it waits for could make one before the wait's deadline: no timer due
/// sooner (`setTimeout`, `socket.setTimeout`), no connection being made. On loopback, bytes
/// written are in the peer's socket at once and the next turn reads them, so a loop idle for
/// several turns has no bytes in flight either. What the loop cannot see is work on other
/// threads and in other processes: a wait for those must not use this.
///
/// The bookkeeping costs a dictionary entry per armed timer, so it is on only in a process
/// started with `NODENET_QUIET_WAITS` set (the kata runner sets it for the tests it runs).
@_spi(Testing) public enum Quiescence {
    /// Whether this process keeps the books (`NODENET_QUIET_WAITS` was set when it started).
    public static let isTracking = getenv("NODENET_QUIET_WAITS") != nil

    /// Callbacks made into `@NodeActor` code so far (counted on the loop thread only).
    nonisolated(unsafe) static var callbacks = 0
    /// Armed timers, by their owner, and when each is due.
    @NodeActor private static var timers: [ObjectIdentifier: NIODeadline] = [:]
    /// Connections being made (a name being looked up included).
    @NodeActor private static var connects = 0

    /// How often the loop is looked at, and how many looks in a row must find it idle.
    private static let interval = TimeAmount.milliseconds(20)
    private static let idleLooksNeeded = 5

    @NodeActor static func timerArmed(_ owner: AnyObject, due: NIODeadline) {
        if isTracking { timers[ObjectIdentifier(owner)] = due }
    }

    @NodeActor static func timerDisarmed(_ owner: AnyObject) {
        if isTracking { timers[ObjectIdentifier(owner)] = nil }
    }

    @NodeActor static func connectStarted(_ connected: EventLoopFuture<any Channel>) {
        guard isTracking else { return }
        connects += 1
        connected.whenCompleteOnNode { _ in connects -= 1 }
    }

    /// A wait's deadline: `setTimeout`, but not itself something that could bring what is
    /// awaited, so it does not keep the loop from counting as idle.
    @NodeActor public static func deadline(_ milliseconds: Int, _ callback: @escaping @NodeActor () -> Void)
        -> Timeout
    {
        let timeout = setTimeout(milliseconds, callback)
        timerDisarmed(timeout)
        timeout.countsAsWork = false
        return timeout
    }

    /// Calls `idle` once the loop is idle and nothing could make a callback within `milliseconds`;
    /// never if the returned watch is cancelled first, or if this process keeps no books
    /// (``isTracking``), since then it cannot know.
    @NodeActor public static func whenIdle(within milliseconds: Int, _ idle: @escaping @NodeActor () -> Void)
        -> Watch
    {
        let watch = Watch(horizon: .now() + .milliseconds(Int64(milliseconds)), idle: idle)
        if isTracking { watch.look(callbacksSeen: callbacks) }
        return watch
    }

    /// A watch for idleness, from ``whenIdle(within:_:)``.
    @NodeActor public final class Watch {
        private let horizon: NIODeadline
        private var idle: (@NodeActor () -> Void)?
        private var idleLooks = 0
        private var next: Scheduled<Void>?

        init(horizon: NIODeadline, idle: @escaping @NodeActor () -> Void) {
            self.horizon = horizon
            self.idle = idle
        }

        /// Stops watching; `idle` will not be called.
        public func cancel() {
            idle = nil
            next?.cancel()
            next = nil
        }

        fileprivate func look(callbacksSeen: Int) {
            let due = NIODeadline.now() + Quiescence.interval
            // The loop keeps the watch until it has called back or been cancelled, as a timer.
            next = nodeLoop.scheduleTask(deadline: due) {
                // Read before this look's own callback counts.
                let callbacks = Quiescence.callbacks
                NodeActor.assumeIsolated { self.looked(at: due, callbacks: callbacks, before: callbacksSeen) }
            }
        }

        private func looked(at due: NIODeadline, callbacks: Int, before: Int) {
            guard let idle else { return }
            // Every task due before this look has run by now: a timer still on the books from then
            // belongs to an owner that is gone.
            Quiescence.timers = Quiescence.timers.filter { $0.value >= due }
            let waitingForSomething =
                callbacks != before || Quiescence.connects > 0
                || Quiescence.timers.values.contains { $0 < horizon }
            idleLooks = waitingForSomething ? 0 : idleLooks + 1
            if idleLooks >= Quiescence.idleLooksNeeded {
                self.idle = nil
                return idle()
            }
            look(callbacksSeen: Quiescence.callbacks)
        }
    }
}
