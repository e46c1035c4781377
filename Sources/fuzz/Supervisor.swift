import Foundation
import FuzzKit
import NodeNet

/// The parent process: runs the batches in workers, one after another, until time or inputs run
/// out; a worker that dies or stops making progress has its current input saved, and the run
/// goes on after that input.
struct Supervisor {
    let target: String
    let seed: UInt64
    let corpus: String?
    /// Where crashing, hanging and violating inputs are saved.
    let out: URL
    let batch: Int
    let hangSeconds: Double
    /// A worker's peak resident memory above this, in bytes, is a finding.
    let maxMemory: Int

    func run(seconds: Double, runs: Int) throws -> FuzzReport {
        let started = ContinuousClock.now
        let deadline = started + .milliseconds(Int64(seconds * 1000))
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let work = out.appendingPathComponent(".work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        var report = FuzzReport(target: target, seed: seed, corpus: corpusFolder)
        var next: UInt64 = 0
        while ContinuousClock.now < deadline && next < UInt64(runs) {
            let count = min(batch, runs - Int(next))
            let left = Double((deadline - ContinuousClock.now).components.seconds) + 1
            let ending = try runWorker(from: next, count: count, seconds: left, work: work)
            report.workers += 1
            switch ending {
            case .finished(let result):
                report.add(result)
                if result.peakMemory > maxMemory {
                    // One connection at a time, each input at most 64 KiB: memory that grows is
                    // state the code under test keeps, and a hostile peer could make it keep more.
                    report.violations += 1
                    report.findings.append(
                        "memory: a worker reached \(result.peakMemory >> 20) MiB, over \(maxMemory >> 20) MiB"
                    )
                }
                report.violations += result.result.violations.count
                // A broken invariant tends to break on many inputs: the first few tell the story.
                for violation in result.result.violations where report.findings.count < 20 {
                    report.findings.append(
                        try save(violation.index, kind: "violation", why: violation.message))
                }
                next += UInt64(result.result.tried)
                if result.result.tried < count { break }
            case .died(let index, let why, let details, let hung):
                if hung { report.hangs += 1 } else { report.crashes += 1 }
                report.tried += Int(index - next) + 1
                report.findings.append(
                    try save(index, kind: hung ? "hang" : "crash", why: why, details: details))
                next = index + 1
            }
        }
        let elapsed = (ContinuousClock.now - started).components
        report.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return report
    }

    private var corpusFolder: URL {
        corpus.map { URL(fileURLWithPath: $0) } ?? Corpus.defaultRoot.appendingPathComponent(target)
    }

    private enum Ending {
        case finished(WorkerResult)
        /// The worker trapped (or was killed as hung) on input `index`.
        case died(index: UInt64, why: String, details: String, hung: Bool)
    }

    private func runWorker(from: UInt64, count: Int, seconds: Double, work: URL) throws -> Ending {
        let progress = work.appendingPathComponent("progress")
        let output = work.appendingPathComponent("stdout")
        let errors = work.appendingPathComponent("stderr")
        for file in [progress, output, errors] {
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        }
        let process = Process()
        process.executableURL = Bundle.main.executableURL
        process.arguments =
            [
                target, "--seed", "\(seed)", "--worker-from", "\(from)", "--worker-progress", progress.path,
                "--batch", "\(count)", "--seconds", "\(seconds)", "--corpus", corpusFolder.path,
            ]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        // The worker's lifeline: this process holds the pipe's only write end, so the worker
        // reads end of file once this process is gone, killed or crashed, and stops (``Worker``).
        let lifeline = Pipe()
        process.standardInput = lifeline
        defer { try? lifeline.fileHandleForWriting.close() }
        try process.run()
        var lastIndex = from
        var lastChange = ContinuousClock.now
        var hung = false
        while process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
            let index = Self.index(in: progress) ?? from
            if index != lastIndex {
                lastIndex = index
                lastChange = ContinuousClock.now
            } else if ContinuousClock.now - lastChange > .milliseconds(Int64(hangSeconds * 1000)) {
                hung = true
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let printed = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        if !hung, process.terminationReason == .exit, process.terminationStatus == 0,
            let result = WorkerResult(parsing: printed)
        {
            return .finished(result)
        }
        let index = Self.index(in: progress) ?? from
        // Swift's trap message, then its backtrace: the message is the line to report.
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        let lines = stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let trap = lines.first { $0.contains("Fatal error") || $0.contains("Crash") } ?? lines.first ?? ""
        let ending = process.terminationReason == .uncaughtSignal ? "signal" : "exit"
        let why =
            hung ? "no progress for \(hangSeconds) s" : "\(ending) \(process.terminationStatus): \(trap)"
        return .died(index: index, why: why, details: stderr, hung: hung)
    }

    /// The input number the worker last wrote down.
    private static func index(in progress: URL) -> UInt64? {
        guard let data = try? Data(contentsOf: progress), data.count == 8 else { return nil }
        return data.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    /// Remakes input `index` from the seed and saves it, with a note saying why.
    private func save(_ index: UInt64, kind: String, why: String, details: String = "") throws -> String {
        let (target, seed, folder) = (self.target, self.seed, corpusFolder)
        let box = InputBox()
        _ = Node.runUntilIdle { () -> Void in
            box.input = try? FuzzRound(target: FuzzTargets.make(target)!, seed: seed, corpus: folder)
                .mutator.input(index, seed: seed)
        }
        let file = out.appendingPathComponent("\(kind)-seed\(seed)-\(index).bin")
        try Data(box.input ?? []).write(to: file)
        try Data("\(why)\n\n\(details)".utf8).write(to: file.appendingPathExtension("txt"))
        return "\(kind) at input \(index) (\(file.path)): \(why)"
    }
}

/// Carries a remade input from the loop thread.
private final class InputBox: @unchecked Sendable {
    var input: [UInt8]?
}
