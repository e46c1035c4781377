import Foundation
import NodeNet
import TestSupport
import Testing

/// `fuzz` runs its batches in worker processes: a worker that traps has its input saved and the
/// run goes on after it. (The long runs are `swift run -c release fuzz`; this is a few hundred
/// inputs.) One test at a time: each round keeps a core busy with its workers, and four side by
/// side in a plain `swift test` starved every other test on two cores.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct FuzzCommandTests {
    /// A short deterministic round of every target, seed 1, in the built `fuzz` (a process of its
    /// own, so its work does not hold the test process's loop): no crash, no hang, no broken
    /// invariant, and the mutations reach more than one path of the code under test.
    @Test(arguments: ["http-head", "http-chunked", "websocket-frames", "pem-der"])
    func aShortRoundFromSeedOneBreaksNothing(target: String) async throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        // OpenSSL's decoders take some 5 ms an input in a debug build: fewer of those.
        let runs = target == "pem-der" ? 600 : 2000
        let fuzz = try RunningProgram.built(
            "fuzz", [target, "--seed", "1", "--runs", "\(runs)", "--out", out.path])
        #expect(try await fuzz.waitForExit(seconds: 100) == 0, "\(fuzz.standardError)")
        let report = fuzz.standardOutput
        #expect(report.contains("inputs: \(runs) in"), "\(report)")
        #expect(report.contains("crashes: 0, hangs: 0, invariant violations: 0"), "\(report)")
        let outcomes = report.firstMatch(of: /distinct outcomes: (\d+)/).flatMap { Int($0.1) } ?? 0
        #expect(outcomes >= 5, "\(report)")
    }

    @Test func aRunInWorkersReportsEveryInput() async throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let fuzz = try RunningProgram.built(
            "fuzz", ["http-head", "--runs", "300", "--batch", "100", "--out", out.path])
        #expect(try await fuzz.waitForExit(seconds: 100) == 0, "\(fuzz.standardError)")
        let report = fuzz.standardOutput
        #expect(report.contains("inputs: 300 in"), "\(report)")
        #expect(report.contains("3 worker processes"), "\(report)")
        #expect(report.contains("crashes: 0, hangs: 0, invariant violations: 0"), "\(report)")
    }

    @Test func aTrapInAWorkerIsCaughtItsInputSavedAndTheRunGoesOn() async throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let fuzz = try RunningProgram.built(
            "fuzz", ["websocket-frames", "--runs", "200", "--batch", "100", "--out", out.path],
            environment: ["NODENET_FUZZ_TRAP_AT": "150"])
        #expect(try await fuzz.waitForExit(seconds: 100) == 1, "a run with a crash fails")
        let report = fuzz.standardOutput
        #expect(report.contains("inputs: 200 in"), "\(report)")
        #expect(report.contains("crashes: 1, hangs: 0"), "\(report)")
        let saved = out.appendingPathComponent("websocket-frames/crash-seed1-150.bin")
        let note = try String(contentsOf: saved.appendingPathExtension("txt"), encoding: .utf8)
        #expect(note.contains("a trap on purpose"), "\(note)")
        // The saved input replays: the same bytes the worker was given.
        let replay = try RunningProgram.built("fuzz", ["websocket-frames", "--replay", saved.path])
        #expect(try await replay.waitForExit(seconds: 30) == 0, "\(replay.standardError)")
        #expect(replay.standardOutput.contains("violation: none"), "\(replay.standardOutput)")
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// A worker whose supervisor is killed stops too: it would otherwise fuzz on, unwatched, until
/// its batch ran out.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct FuzzWorkerLifelineTests {
    /// The pids of `pid`'s children.
    private func children(of pid: Int32) -> [Int32] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap {
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Whether `pid` still runs (a zombie waiting to be reaped does not).
    private func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }

    @Test func aWorkerStopsWhenItsSupervisorIsKilled() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        // One long batch: the worker has work for a minute.
        let fuzz = try RunningProgram.built(
            "fuzz", ["http-head", "--seconds", "60", "--batch", "100000000", "--out", out.path])
        defer { fuzz.killNow() }
        // `timeout` runs the supervisor, which runs the worker.
        var supervisor: Int32 = 0
        var worker: Int32 = 0
        // Should the test fail, no worker outlives it: killNow() reaches only the group it can
        // still see.
        defer { if worker != 0 { kill(worker, SIGKILL) } }
        try await waitUntil("the supervisor to start a worker") {
            supervisor = children(of: fuzz.processIdentifier).first ?? 0
            worker = supervisor == 0 ? 0 : children(of: supervisor).first ?? 0
            return worker != 0
        }
        kill(supervisor, SIGKILL)
        try await waitUntil("the worker to stop", seconds: 20) { !isRunning(worker) }
        #expect(!isRunning(worker))
    }
}
