import TestSupport
import Testing

@testable import NodeNet

@Suite(.timeLimit(.minutes(1)))
@NodeActor struct TimerTests {
    /// Each deadline is counted from the moment its `setTimeout` runs, as in Node (which reads
    /// a fresh clock for every timer), so the delays are far apart: a thread held up between two
    /// calls on a loaded machine must not be able to swap them.
    @Test func timeoutsFireInDeadlineOrderThenInsertionOrder() async throws {
        let log = EventLog()
        let start = ContinuousClock.now
        var nextTurnAfter = Duration.zero
        try await waitFor("all timers") { done in
            setTimeout(300) {
                log.add("300")
                done()
            }
            setTimeout(10) { log.add("10a") }
            setTimeout(150) { log.add("150") }
            setTimeout(10) { log.add("10b") }
            setImmediate { log.add("immediate") }
            // A job on the loop's queue: when the loop's next turn came.
            Task { nextTurnAfter = .now - start }
        }
        #expect(log.entries.filter { $0 != "immediate" } == ["10a", "10b", "150", "300"])
        // The immediate is due at once: first, unless the loop's next turn came 10 ms late (a
        // busy machine; Node too runs timers already due before its immediates), and in any case
        // before the 150 ms timer.
        let immediate = try #require(log.entries.firstIndex(of: "immediate"))
        if nextTurnAfter < .milliseconds(10) {
            #expect(immediate == 0, "\(log.entries)")
        }
        #expect(immediate < log.entries.firstIndex(of: "150")!, "\(log.entries)")
    }

    @Test func clearedTimersNeverFire() async throws {
        let log = EventLog()
        let cleared = setTimeout(5) { log.add("cleared timeout") }
        let immediate = setImmediate { log.add("cleared immediate") }
        clearTimeout(cleared)
        clearImmediate(immediate)
        try await waitFor("a later timer") { done in setTimeout(20, done) }
        #expect(log.entries.isEmpty)
    }

    /// What a callback does to a timer in the turn of the loop where the timer is due, after
    /// SwiftNIO has taken its firing into the batch it runs: SwiftNIO runs that firing even when
    /// cancelled, so the timer itself must know it no longer stands. An interval cleared that way
    /// fired and re-armed itself, and held the program for ever (chapter 4's client, on a loaded
    /// machine, printed its `close` and never exited); a refreshed timeout fired early.
    enum LateChange: CaseIterable, Sendable { case clearTimeout, clearInterval, refresh }

    @Test(arguments: LateChange.allCases)
    func aTimerChangedInTheTurnItIsDueDoesNotFire(_ change: LateChange) async throws {
        var fired = 0
        let firedByThen: Int = try await waitFor("the timer after the change") { done in
            // Three timers due one after the other: the change, the timer, the look at `fired`.
            // The loop is kept busy until all three are due, so SwiftNIO takes them into one batch.
            var timer: Timeout?
            setTimeout(1) { if change == .refresh { timer?.refresh() } else { clearTimeout(timer) } }
            timer = change == .clearInterval ? setInterval(2) { fired += 1 } : setTimeout(2) { fired += 1 }
            setTimeout(3) { done(fired) }
            let due = ContinuousClock.now + .milliseconds(10)
            while ContinuousClock.now < due {}
        }
        #expect(firedByThen == 0)
    }

    @Test func intervalsRepeatUntilCleared() async throws {
        var ticks = 0
        try await waitFor("three ticks") { done in
            let holder = TimerHolder()
            holder.timer = setInterval(2) {
                ticks += 1
                if ticks == 3 {
                    clearInterval(holder.timer)
                    done()
                }
            }
        }
        try await waitFor("a later timer") { done in setTimeout(10, done) }
        #expect(ticks == 3)
    }

    /// `until`'s `done` is a promise's `resolve`: the first call settles it, later ones are
    /// ignored (a request's `response` and then its `error` may both call it). A second call used
    /// to resume the continuation twice, which kills the process.
    @Test func untilTakesTheFirstCallAndIgnoresTheRest() async throws {
        let value: Int = await until { done in
            done(1)
            done(2)
            setTimeout(1) { done(3) }
        }
        #expect(value == 1)
        await until { done in
            done()
            done()
        }
        try await waitFor("the late call's turn") { done in setTimeout(5, done) }
    }

    @Test func awaitInsideACallbackResumesOnTheLoop() async throws {
        let result: String = try await waitFor("the task") { done in
            setTimeout(1) {
                // A callback starting a task that awaits: it must neither hang nor leave the loop.
                Task {
                    await sleep(milliseconds: 5)
                    let onLoop = nodeLoop.inEventLoop
                    let digest = try? crypto.createHash("md5").update("abc").digest(.hex)
                    done("\(onLoop) \(digest ?? "")")
                }
            }
        }
        #expect(result == "true 900150983cd24fb0d6963f7d28e17f72")
    }

    /// Node's timers hold 2³¹ − 1 ms at most: a longer delay becomes 1 ms (with a warning), a
    /// longer socket timeout is cut to that most. Neither may crash the program.
    @Test func delaysPastNodesTimerLimitAreClampedNotACrash() async throws {
        try await waitFor("a timer set for Int.max ms", seconds: 30) { done in setTimeout(Int.max, done) }
        try await waitFor("an interval of 2^31 ms, twice", seconds: 30) { done in
            let holder = TimerHolder()
            var ticks = 0
            holder.timer = setInterval(1 << 31) {
                ticks += 1
                if ticks == 2 {
                    holder.timer?.close()
                    done()
                }
            }
        }
        let (server, port) = try await listeningServer()
        defer { server.close() }
        let socket = net.connect(port, "127.0.0.1")
        try await waitFor("connect", seconds: 30) { done in socket.once(.connect, done) }
        socket.setTimeout(Int.max)
        socket.destroy()
    }
}

/// Lets an interval's callback reach the interval itself.
@NodeActor private final class TimerHolder {
    var timer: Timeout?
}
