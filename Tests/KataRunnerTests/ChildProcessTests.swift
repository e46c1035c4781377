import Foundation
import KataRunner
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The leash on every program the runner starts: deadline, signals, cancellation, its group.
@Suite(.timeLimit(.minutes(1))) struct ChildProcessTests {
    @Test func anExitAndItsOutputAreReported() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(result.ending == .exited(3))
        #expect(result.output == "out\nerr\n")
    }

    @Test func aProgramKilledByASignalIsReportedAsSuch() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "kill -ILL $$"])
        #expect(result.ending == .signalled(SIGILL))
    }

    @Test func anEndlessLoopIsStoppedAtItsDeadlineWithEverythingItStarted() throws {
        // The shell starts a sleeper in its group, says its pid, then loops.
        let result = try ChildProcess.run(
            "/bin/sh", ["-c", "sleep 600 & echo $!; while :; do :; done"],
            limits: ChildProcess.Limits(seconds: 1))
        #expect(result.ending == .timedOut)
        let sleeper = try #require(Int32(result.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        // Killed with the group: gone, or a zombie until its new parent reaps it.
        let gone = Date().addingTimeInterval(10)
        while isRunning(sleeper) && Date() < gone { usleep(20_000) }
        #expect(!isRunning(sleeper), "the sleeper \(sleeper) outlived its group's deadline")
    }

    private func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !stat.contains(") Z ")
    }

    @Test func aLoopThatBurnsCPUIsStoppedAtItsCPULimit() throws {
        let result = try ChildProcess.run(
            "/bin/sh", ["-c", "while :; do :; done"],
            limits: ChildProcess.Limits(seconds: 50, cpuSeconds: 0.5))
        #expect(result.ending == .timedOut)
    }

    @Test func aCancelledRunIsStoppedAndSaysSo() throws {
        let cancellation = Cancellation()
        cancellation.cancel()
        let result = try ChildProcess.run("/bin/sh", ["-c", "sleep 600"], cancellation: cancellation)
        #expect(result.ending == .cancelled)
    }
}
