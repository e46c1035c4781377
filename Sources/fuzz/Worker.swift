import ArgumentParser
import Foundation
import FuzzKit
import NodeNet

/// The child process: runs one batch of inputs on the NodeNet loop and prints what they did.
///
/// Before each input it writes the input's number to the progress file, so that when a trap
/// kills it the parent knows which input did it (and can remake it from the seed).
struct Worker {
    let target: String
    let seed: UInt64
    let corpus: URL?
    let progressFile: String

    /// Nothing is ever written to a worker's standard input, the supervisor's pipe: reading it
    /// ends only when the supervisor has gone (killed, or crashed), and a worker without one
    /// would fuzz on, unwatched, until its batch ran out.
    private static func stopWhenTheSupervisorIsGone() {
        Thread {
            var byte: UInt8 = 0
            while read(0, &byte, 1) > 0 {}
            FileHandle.standardError.write(Data("fuzz worker: the supervisor is gone; stopping\n".utf8))
            _exit(70)
        }.start()
    }

    /// Runs inputs `from ..< from + count`, or fewer if `seconds` run out, and prints the result
    /// in the lines ``WorkerResult`` reads.
    func run(from: UInt64, count: Int, seconds: Double) throws {
        Self.stopWhenTheSupervisorIsGone()
        let progress = open(progressFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard progress >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(progress) }
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        let (target, seed, corpus) = (self.target, self.seed, self.corpus)
        // For the test of the supervisor: a trap on purpose at one input, as a bug would trap.
        let trapAt = ProcessInfo.processInfo.environment["NODENET_FUZZ_TRAP_AT"].flatMap { UInt64($0) }
        let box = ResultBox()
        let code = Node.runUntilIdle { () async -> Void in
            do {
                let round = try FuzzRound(target: FuzzTargets.make(target)!, seed: seed, corpus: corpus)
                box.result = await round.run(from: from, count: count, until: deadline) { index in
                    var number = index
                    _ = pwrite(progress, &number, 8, 0)
                    if index == trapAt { fatalError("NODENET_FUZZ_TRAP_AT=\(index): a trap on purpose") }
                }
            } catch {
                box.error = "\(error)"
            }
        }
        if let error = box.error { throw ValidationError("cannot read the corpus: \(error)") }
        guard code == 0, let result = box.result else { throw ExitCode(code) }
        print(WorkerResult(result: result, peakMemory: Self.peakMemory()).lines)
    }

    /// The worker's peak resident memory, in bytes.
    static func peakMemory() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    /// The summary line of a target, for `--list`.
    static func summary(of name: String) -> String {
        let box = ResultBox()
        _ = Node.runUntilIdle { () -> Void in box.error = FuzzTargets.make(name)?.summary }
        return box.error ?? ""
    }

    /// Runs one saved input, as the fuzzer ran it, and describes what it did.
    static func replay(target: String, file: URL) throws -> String {
        let input = Array(try Data(contentsOf: file))
        let box = ResultBox()
        _ = Node.runUntilIdle { () async -> Void in
            let verdict = await FuzzTargets.make(target)!.run(input)
            box.error = "outcome: \(verdict.outcome)\nviolation: \(verdict.violation ?? "none")"
        }
        return box.error ?? ""
    }
}

/// Carries a result from the loop thread to the waiting one (`Node.runUntilIdle` orders them).
private final class ResultBox: @unchecked Sendable {
    var result: RoundResult?
    var error: String?
}
