import NodeNet
import TestSupport
import Testing

/// The tests' long-transfer wait fails when progress stops, not when the whole takes long.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct WaitForTransferTests {
    @Test func aSteadyTransferMayOutlastTheStallPeriod() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        // Progress every 300 ms for 2.4 s, against a one-second stall period.
        let ticks: Int = try await waitForTransfer("eight ticks", stalledFor: 1) { done, progress in
            var ticks = 0
            var interval: Timeout?
            interval = setInterval(300) {
                progress()
                ticks += 1
                if ticks == 8 {
                    interval?.close()
                    done(ticks)
                }
            }
        }
        #expect(ticks == 8)
        #expect(clock.now - start > .seconds(2), "longer than the stall period, and it passed")
    }

    @Test func aTransferThatStopsTimesOutAWholePeriodAfterItsLastProgress() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: TimedOut.self) {
            try await waitForTransfer("bytes that stop", stalledFor: 1) { _, progress in
                var ticks = 0
                var interval: Timeout?
                interval = setInterval(300) {
                    progress()
                    ticks += 1
                    if ticks == 3 { interval?.close() }
                }
            }
        }
        // (A crowded machine adds how far behind the loop ran: LoopLagTests.)
        #expect(error?.description.hasPrefix("timed out waiting for bytes that stop") == true)
        #expect(error?.wentIdle == false)
        // The last progress came at 0.9 s; a deadline at 1 s saw it and started over.
        #expect(clock.now - start > .seconds(1.9))
    }
}
