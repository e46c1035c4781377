import Foundation
import NodeNet
import TestSupport
import Testing

/// A wait that times out says how far behind the shared loop ran meanwhile (``LoopLag``).
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct LoopLagTests {
    @Test func aHeldLoopIsSeenFromItsTimers() async throws {
        LoopLag.watch()
        let start = ContinuousClock.now
        // Hold the loop 400 ms, as a preempted thread would be held, then give the watch's timer
        // a few turns to come.
        try await waitFor("the loop held, then three periods") { done in
            setTimeout(1) {
                usleep(400_000)
                setTimeout(3 * LoopLag.period) { done(()) }
            }
        }
        let worst = try #require(LoopLag.worst(since: start), "a turn 300 ms late went unseen")
        #expect(worst >= LoopLag.worthKeeping)
    }

    @Test func aLateLoopIsNamedInTheFailureAndAPromptOneIsNot() {
        #expect(LoopLag.note(worst: nil) == "")
        #expect(LoopLag.note(worst: .milliseconds(900)) == "")
        let note = LoopLag.note(worst: .milliseconds(2_470))
        #expect(note.contains("ran up to 2.4 s behind its timers"), "\(note)")
        let timedOut = TimedOut(what: "an echo", loopNote: note)
        #expect(timedOut.description == "timed out waiting for an echo\(note)")
        #expect(waited(30, timedOut) == "within 30 s\(note)")
    }
}
