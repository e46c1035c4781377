@_spi(Testing) import NodeNet

/// How far behind its own timers the shared loop has fallen: a wait that times out says so, so
/// that a failure on a crowded machine reads as one and not as a missing event.
///
/// Every in-process test shares one loop. On two cores, in a whole `swift test`, the scheduler
/// has left that thread seconds without a turn (it was preempted, not waiting); a 100 ms timer
/// that fires seconds late is how that shows from inside. Off where the runtime keeps the books
/// (the kata runner's test processes), since a timer that never stops would keep the loop from
/// ever counting as idle there.
@NodeActor public enum LoopLag {
    /// How often the loop is looked at, in milliseconds.
    public static let period = 100
    /// The lateness worth keeping.
    public static let worthKeeping = Duration.milliseconds(250)

    private static var watching: Timeout?
    /// Late turns (when the timer came, and how late), the last two minutes' worth.
    private static var lateTurns: [(at: ContinuousClock.Instant, late: Duration)] = []

    /// Starts looking, once per process.
    public static func watch() {
        guard watching == nil, !Quiescence.isTracking else { return }
        var last = ContinuousClock.now
        watching = setInterval(period) {
            let now = ContinuousClock.now
            let late = now - last - .milliseconds(period)
            last = now
            guard late >= worthKeeping else { return }
            lateTurns.removeAll { now - $0.at > .seconds(120) }
            lateTurns.append((now, late))
        }.unref()
    }

    /// The longest the loop ran behind since `start`, if it ever ran `worthKeeping` behind.
    public static func worst(since start: ContinuousClock.Instant) -> Duration? {
        lateTurns.filter { $0.at > start }.map(\.late).max()
    }

    /// A failure message's note on the loop's lateness since `start`: empty when it kept up.
    public static func note(since start: ContinuousClock.Instant) -> String {
        note(worst: worst(since: start))
    }

    /// The note for a loop that ran at most `worst` behind: empty under a second.
    public nonisolated static func note(worst: Duration?) -> String {
        guard let worst, worst >= .seconds(1) else { return "" }
        let tenths = worst.components.seconds * 10 + worst.components.attoseconds / 100_000_000_000_000_000
        return
            " (meanwhile the loop every test shares ran up to \(tenths / 10).\(tenths % 10) s behind its timers: a crowded machine, see Tests/README.md)"
    }
}
