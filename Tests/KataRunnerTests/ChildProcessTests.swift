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

    /// A descriptor of the runner that is not close-on-exec (SwiftNIO's sockets are not) stays
    /// out of the child: an inherited listening socket kept a closed server's port taken.
    @Test func aChildInheritsNoDescriptorButItsOutput() async throws {
        let descriptor = open("/dev/null", O_RDONLY)
        try #require(descriptor > 2)
        defer { close(descriptor) }
        let result = try await run("test -e /proc/self/fd/\(descriptor) && echo inherited || echo closed")
        #expect(result.output == "closed\n", "descriptor \(descriptor) of the runner reached the child")
    }

    /// A test run's builds yield the CPU to the tests' event loop: the child and what it starts
    /// run that much nicer than the runner.
    @Test func aChildAndWhatItStartsRunAsMuchNicerAsAskedFor() async throws {
        errno = 0
        let own = getpriority(priorityOfThisProcess, 0)
        try #require(
            errno == 0 && own < 19, "this test process runs at niceness \(own): no child can be nicer")
        ChildProcess.niceness = Fixtures.childNiceness
        let expected = min(19, own + Fixtures.childNiceness)
        let result = try await run("nice; sh -c nice")
        #expect(result.output == "\(expected)\n\(expected)\n")
    }

    @Test func aForegroundProgramGivesItsExitStatusOrItsSignal() async throws {
        let exited = try await Fixtures.offThePool {
            try ChildProcess.runInForeground("/bin/sh", ["-c", "exit 3"])
        }
        #expect(exited == 3)
        let killed = try await Fixtures.offThePool {
            try ChildProcess.runInForeground("/bin/sh", ["-c", "kill -TERM $$"])
        }
        #expect(killed == 128 + SIGTERM)
    }

    @Test func aDetachedProgramLeadsASessionOfItsOwnAndAppendsToItsLog() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "detached-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("log")
        let fifo = folder.appendingPathComponent("fifo")
        try Data("before\n".utf8).write(to: log)
        #expect(mkfifo(fifo.path, 0o600) == 0)
        // It writes its pid and its session's id to the fifo, which the test waits on.
        try ChildProcess.startDetached(
            "/bin/sh", ["-c", "echo appended; echo $$ $(cut -d' ' -f6 /proc/$$/stat) > \(fifo.path)"],
            log: log)
        let said = try await Fixtures.offThePool {
            String(
                decoding: FileHandle(forReadingAtPath: fifo.path)?.readDataToEndOfFile() ?? Data(),
                as: UTF8.self)
        }
        let ids = said.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(ids.count == 2 && ids[0] == ids[1], "its own session: \(said)")
        #expect(ids.last != String(getsid(0)))
        #expect(try String(contentsOf: log, encoding: .utf8) == "before\nappended\n")
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

#if canImport(Glibc)
    /// `getpriority`'s "a process", typed as glibc's header types it.
    private let priorityOfThisProcess = __priority_which_t(PRIO_PROCESS.rawValue)
#else
    private let priorityOfThisProcess = PRIO_PROCESS
#endif
