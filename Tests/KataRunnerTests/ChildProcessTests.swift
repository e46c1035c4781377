import Foundation
import KataRunner
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The leash on every program the runner starts: deadline, CPU limit, signals, cancellation, its
/// group. Each run waits on a thread of its own (`offThePool`), not on the tests' shared threads.
@Suite(.timeLimit(.minutes(1))) struct ChildProcessTests {
    private func run(
        _ script: String, limits: ChildProcess.Limits = ChildProcess.Limits(),
        cancellation: Cancellation? = nil
    ) async throws -> ChildProcess.Result {
        try await Fixtures.offThePool {
            try ChildProcess.run("/bin/sh", ["-c", script], limits: limits, cancellation: cancellation)
        }
    }

    @Test func anExitAndItsOutputAreReported() async throws {
        let result = try await run("echo out; echo err >&2; exit 3")
        #expect(result.ending == .exited(3))
        #expect(result.output == "out\nerr\n")
    }

    @Test func aProgramKilledByASignalIsReportedAsSuch() async throws {
        #expect(try await run("kill -ILL $$").ending == .signalled(SIGILL))
    }

    @Test func anEndlessLoopIsStoppedAtItsDeadlineWithEverythingItStarted() async throws {
        // The shell starts a sleeper in its group, says its pid, then loops.
        let result = try await run(
            "sleep 600 & echo $!; while :; do :; done", limits: ChildProcess.Limits(seconds: 1))
        #expect(result.ending == .timedOut)
        let sleeper = try #require(Int32(result.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        // Killed with the group: gone, or a zombie until its new parent reaps it.
        let stillRunning = try await Fixtures.offThePool {
            let gone = Date().addingTimeInterval(10)
            while Self.isRunning(sleeper) && Date() < gone { usleep(20_000) }
            return Self.isRunning(sleeper)
        }
        #expect(!stillRunning, "the sleeper \(sleeper) outlived its group's deadline")
    }

    private static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !stat.contains(") Z ")
    }

    @Test func aLoopThatBurnsCPUIsStoppedAtItsCPULimit() async throws {
        let result = try await run(
            "while :; do :; done", limits: ChildProcess.Limits(seconds: 50, cpuSeconds: 0.5))
        #expect(result.ending == .timedOut)
    }

    @Test func aCancelledRunIsStoppedAndSaysSo() async throws {
        let cancellation = Cancellation()
        cancellation.cancel()
        #expect(try await run("sleep 600", cancellation: cancellation).ending == .cancelled)
    }
}
