import NIOCore

/// The timer behind `socket.setTimeout`: fires once the socket has been idle for the given time.
///
/// Activity only records a time; the timer re-arms itself when it wakes early, so busy sockets
/// pay no rescheduling cost per chunk. It does not hold the loop: the socket does.
@NodeActor final class IdleTimer {
    private let timeout: TimeAmount
    private let onIdle: @NodeActor () -> Void
    private var lastActivity = NIODeadline.now()
    private var scheduled: Scheduled<Void>?

    init(milliseconds: Int, onIdle: @escaping @NodeActor () -> Void) {
        timeout = TimerDuration.idle(milliseconds)
        self.onIdle = onIdle
        arm(at: lastActivity + timeout)
    }

    func touch() {
        lastActivity = .now()
        if scheduled == nil { arm(at: lastActivity + timeout) }
    }

    func stop() {
        scheduled?.cancel()
        scheduled = nil
        Quiescence.timerDisarmed(self)
    }

    private func arm(at deadline: NIODeadline) {
        scheduled = nodeLoop.scheduleTask(deadline: deadline) { [weak self] in
            NodeActor.assumeIsolated { self?.wake() }
        }
        Quiescence.timerArmed(self, due: deadline)
    }

    private func wake() {
        scheduled = nil
        Quiescence.timerDisarmed(self)
        let due = lastActivity + timeout
        if due > .now() {
            arm(at: due)
        } else {
            // Fires once per idle period; the next read or write starts a new period.
            onIdle()
        }
    }
}
