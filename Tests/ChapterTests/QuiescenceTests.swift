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
        let printed = try await output("quiet-nothing-pending")
        #expect(printed == "idle\n")
    }

    @Test func withoutTheBooksItNeverSaysIdle() async throws {
        let printed = try await output("quiet-nothing-pending", tracking: false)
        #expect(printed == "deadline\n")
    }

    @Test func aTimerDueWithinTheWaitKeepsItBusyUntilItHasFired() async throws {
        let printed = try await output("quiet-timer-pending")
        #expect(printed == "server read late\nidle\n")
    }

    @Test func anIdleSocketsTimeoutIsATimerToo() async throws {
        let printed = try await output("quiet-socket-timeout")
        #expect(printed == "socket timeout\nidle\n")
    }

    @Test func aTimerDueAfterTheWaitCannotHelpIt() async throws {
        let printed = try await output("quiet-timer-past-the-horizon")
        #expect(printed == "idle\n")
    }

    @Test func bytesGoingBackAndForthKeepItBusy() async throws {
        let printed = try await output("quiet-ping-pong")
        #expect(printed == "ping-pong done\nidle\n")
    }

    @Test func aConnectionBeingMadeKeepsItBusy() async throws {
        let printed = try await output("quiet-connecting")
        #expect(printed == "deadline\n")
    }
}
