import NIOCore

/// What `setTimeout`, `setInterval` and `setImmediate` return: cancel with `clear…`, or `unref()`
/// so that the timer alone does not keep the program running.
@NodeActor public final class Timeout {
    private var scheduled: Scheduled<Void>?
    /// Counts the timer's armings, so that a firing from one that `close` or `refresh` ended does
    /// nothing: SwiftNIO runs a task it has already taken into the batch it is running, even if it
    /// was cancelled meanwhile (a socket's `close` in that batch clearing the timer, say).
    private var arming = 0
    private var hold = LoopHold()
    private let callback: @NodeActor () -> Void
    private let interval: TimeAmount?
    private let delay: TimeAmount
    /// False for a test's deadline, which cannot bring what the test waits for (``Quiescence``).
    var countsAsWork = true

    init(delay: TimeAmount, repeats: Bool, callback: @escaping @NodeActor () -> Void) {
        self.delay = delay
        self.interval = repeats ? delay : nil
        self.callback = callback
        start()
    }

    private func start() {
        hold.activate()
        arming += 1
        let arming = arming
        // The loop owns a pending timer, as in Node: the caller may drop what setTimeout returned.
        scheduled = nodeLoop.scheduleTask(in: delay) {
            NodeActor.assumeIsolated { self.fire(arming) }
        }
        if countsAsWork { Quiescence.timerArmed(self, due: .now() + delay) }
    }

    private func fire(_ arming: Int) {
        guard arming == self.arming else { return }
        scheduled = nil
        Quiescence.timerDisarmed(self)
        if interval == nil { hold.deactivate() } else { start() }
        callback()
    }

    /// Stops the timer; its callback will not run again.
    public func close() {
        scheduled?.cancel()
        scheduled = nil
        arming += 1
        Quiescence.timerDisarmed(self)
        hold.deactivate()
    }

    /// Restarts the countdown from now, like `timeout.refresh()`.
    @discardableResult
    public func refresh() -> Timeout {
        guard scheduled != nil else { return self }
        scheduled?.cancel()
        start()
        return self
    }

    /// Keeps the program alive while the timer is pending (the default).
    @discardableResult
    public func ref() -> Timeout {
        hold.ref()
        return self
    }

    /// Lets the program end even though this timer is pending.
    @discardableResult
    public func unref() -> Timeout {
        hold.unref()
        return self
    }

    /// Whether the timer keeps the program alive.
    public func hasRef() -> Bool { hold.isReferenced }
}

/// Calls `callback` once, after `milliseconds` (at least 1, as in Node; a delay over 2³¹ − 1 ms is
/// 1 ms too, with Node's `TimeoutOverflowWarning`).
@NodeActor @discardableResult
public func setTimeout(_ milliseconds: Int, _ callback: @escaping @NodeActor () -> Void) -> Timeout {
    Timeout(delay: TimerDuration.delay(milliseconds), repeats: false, callback: callback)
}

/// Calls `callback` every `milliseconds` until cleared (bounded as `setTimeout`'s delay).
@NodeActor @discardableResult
public func setInterval(_ milliseconds: Int, _ callback: @escaping @NodeActor () -> Void) -> Timeout {
    Timeout(delay: TimerDuration.delay(milliseconds), repeats: true, callback: callback)
}

/// Calls `callback` as soon as the loop has finished what it is doing now.
@NodeActor @discardableResult
public func setImmediate(_ callback: @escaping @NodeActor () -> Void) -> Timeout {
    Timeout(delay: .zero, repeats: false, callback: callback)
}

/// Cancels a timer from `setTimeout`; `nil` is allowed, as in Node.
@NodeActor public func clearTimeout(_ timeout: Timeout?) { timeout?.close() }

/// Cancels a timer from `setInterval`.
@NodeActor public func clearInterval(_ timeout: Timeout?) { timeout?.close() }

/// Cancels a callback from `setImmediate`.
@NodeActor public func clearImmediate(_ timeout: Timeout?) { timeout?.close() }

/// `timers/promises`' `setTimeout`: suspends the calling task for `milliseconds`, holding the loop
/// meanwhile, so `await sleep(100)` inside a callback keeps the program alive until it resumes.
@NodeActor public func sleep(milliseconds: Int) async {
    await withCheckedContinuation { (resume: CheckedContinuation<Void, Never>) in
        setTimeout(milliseconds) { resume.resume() }
    }
}
