import TestSupport
import Testing

/// When the loop counts as idle, so that a kata's wait for something a stub never does ends at
/// once (`Quiescence`, which the kata runner turns on with `NODENET_QUIET_WAITS`). Each scenario
/// is a program of `lifetime-fixture` that prints what happened in order: "idle" when the watch
/// called it, "deadline" when it had not by the scenario's deadline (9 s, or 1.5 s).
@Suite(.timeLimit(.minutes(1)))
struct QuiescenceTests {
    private func output(_ scenario: String, tracking: Bool = true) async throws -> String {
        let program = try RunningProgram.built(
            "lifetime-fixture", [scenario], environment: tracking ? ["NODENET_QUIET_WAITS": "1"] : [:])
        #expect(try await program.waitForExit(seconds: 20) == 0)
        return program.standardOutput
    }

    @Test func aConnectionNobodyWritesOnIsIdleThoughTheWaitsOwnDeadlineIsPending() async throws {
        #expect(try await output("quiet-nothing-pending") == "idle\n")
    }

    @Test func withoutTheBooksItNeverSaysIdle() async throws {
        #expect(try await output("quiet-nothing-pending", tracking: false) == "deadline\n")
    }

    @Test func aTimerDueWithinTheWaitKeepsItBusyUntilItHasFired() async throws {
        #expect(try await output("quiet-timer-pending") == "server read late\nidle\n")
    }

    @Test func anIdleSocketsTimeoutIsATimerToo() async throws {
        #expect(try await output("quiet-socket-timeout") == "socket timeout\nidle\n")
    }

    @Test func aTimerDueAfterTheWaitCannotHelpIt() async throws {
        #expect(try await output("quiet-timer-past-the-horizon") == "idle\n")
    }

    @Test func bytesGoingBackAndForthKeepItBusy() async throws {
        #expect(try await output("quiet-ping-pong") == "ping-pong done\nidle\n")
    }

    @Test func aConnectionBeingMadeKeepsItBusy() async throws {
        #expect(try await output("quiet-connecting") == "deadline\n")
    }
}
