import TestSupport
import Testing

/// Node's rule for when a program ends, seen from outside: it runs while a referenced handle is
/// active, exits by itself when none is, and stops with code 1 on an error nobody handled.
@Suite(.timeLimit(.minutes(1)))
struct ProgramLifetimeTests {
    private func run(_ scenario: String) async throws -> RunningProgram {
        let program = try RunningProgram.built("lifetime-fixture", [scenario])
        _ = try await program.waitForExit(seconds: 20)
        return program
    }

    @Test func aScriptWithNothingPendingExitsAtOnce() async throws {
        let program = try await run("nothing")
        #expect(try await program.waitForExit() == 0)
        #expect(program.standardOutput == "done\n")
    }

    @Test func aPendingTimerHoldsTheProgramUntilItFires() async throws {
        let program = try await run("timer")
        #expect(program.standardOutput == "timer fired\n")
    }

    @Test func aDelayPastNodesTimerLimitIsOneMillisecondWithNodesWarning() async throws {
        let program = try await run("huge-timer")
        #expect(try await program.waitForExit() == 0, "\(program.standardError)")
        #expect(program.standardOutput == "timer fired\n")
        #expect(
            program.standardError.contains(
                "TimeoutOverflowWarning: 9223372036854775807 does not fit into a 32-bit signed integer.\n"
                    + "Timeout duration was set to 1.\n"), "\(program.standardError)")
    }

    @Test func anUnrefTimerDoesNotHoldTheProgram() async throws {
        let program = try await run("unref-timer")
        #expect(try await program.waitForExit() == 0)
        #expect(program.standardOutput.isEmpty)
    }

    @Test func anUnrefServerDoesNotHoldTheProgram() async throws {
        let program = try await run("unref-server")
        #expect(try await program.waitForExit() == 0)
    }

    @Test func anUnrefUDPSocketDoesNotHoldTheProgramButABoundOneDoes() async throws {
        let unref = try await run("unref-udp")
        #expect(try await unref.waitForExit() == 0)
        #expect(
            unref.standardOutput == "bound\n",
            "as in Node: the bind completes, then nothing holds the program")
        let held = try await run("ref-udp")
        #expect(held.standardOutput == "bound\n", "a bound socket holds the program until it is closed")
    }

    @Test func refUndoesUnref() async throws {
        let program = try await run("ref-again")
        #expect(program.standardOutput == "timer fired\n")
    }

    @Test func anAsyncScriptHoldsTheProgramAcrossAwait() async throws {
        let program = try await run("async")
        #expect(program.standardOutput == "resumed after await\n")
    }

    @Test func anUnhandledErrorStopsTheProgramWithCode1() async throws {
        let program = try await run("uncaught")
        #expect(try await program.waitForExit() == 1)
        #expect(program.standardError.contains("connect ECONNREFUSED 127.0.0.1:1"))
    }

    @Test func anUncaughtExceptionListenerKeepsTheProgramGoing() async throws {
        let program = try await run("uncaught-handled")
        #expect(try await program.waitForExit() == 0)
        #expect(program.standardOutput == "caught: ECONNREFUSED\n")
    }

    @Test func exitCodeIsTheProgramsStatus() async throws {
        let program = try await run("exit-code")
        #expect(try await program.waitForExit() == 3)
    }

    /// Node's order, checked with node 20: `exit` with the given code, buffered output written,
    /// pending timers dropped, the listener's `exitCode` is the status.
    @Test func processExitFlushesEmitsExitAndStopsAtOnce() async throws {
        let program = try await run("exit")
        #expect(try await program.waitForExit() == 9)
        #expect(program.standardOutput == "buffered, no newlineexit event 4\n")
    }

    @Test func processExitInsideAnExitListenerExitsWithItsCode() async throws {
        let program = try await run("exit-in-exit-listener")
        #expect(try await program.waitForExit() == 7)
        #expect(program.standardOutput == "exit event 2\n")
    }

    @Test func aProgramThatEndsByItselfEmitsExitToo() async throws {
        let program = try await run("exit-event-at-idle")
        #expect(try await program.waitForExit() == 5)
        #expect(program.standardOutput == "exit event 5\n")
    }
}
