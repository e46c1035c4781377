import ArgumentParser
import Foundation
import FuzzKit

/// `swift run -c release fuzz <target> --seconds N`: mutations of a target's corpus, from a
/// fixed seed, fed to the runtime's parsers; each batch runs in a worker process (this program
/// again), so a crash is caught, its input saved, and the run goes on.
@main struct Fuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Fuzzes the runtime's parsers with mutations of a corpus, from a fixed seed.",
        discussion:
            "Targets: \(FuzzTargets.names.joined(separator: ", ")). Crashing inputs are saved in --out.")

    @Argument(help: "The target (see --list).") var target: String?
    @Option(help: "Stop after this many seconds.") var seconds: Double = 60
    @Option(help: "Stop after this many inputs.") var runs: Int = .max
    @Option(help: "The seed: the same seed gives the same inputs.") var seed: UInt64 = 1
    @Option(help: "The corpus folder (default: Tests/FuzzCorpus/<target>).") var corpus: String?
    @Option(help: "Where crashing inputs are saved.") var out = ".build-fuzz/crashes"
    @Option(help: "Inputs per worker process.") var batch = 50_000
    @Option(help: "An input running longer than this is a hang.") var hangSeconds: Double = 10
    @Option(help: "A worker's peak memory above this many MiB is a finding.") var maxMemoryMib = 256
    @Option(help: "Run one saved input in this process (a crash then shows its trap).") var replay: String?
    @Flag(help: "List the targets and exit.") var list = false
    @Option(help: .hidden) var workerFrom: UInt64?
    @Option(help: .hidden) var workerProgress: String?

    func run() throws {
        if list {
            for name in FuzzTargets.names { print("\(name): \(Worker.summary(of: name))") }
            return
        }
        guard let target, FuzzTargets.names.contains(target) else {
            throw ValidationError("name a target: \(FuzzTargets.names.joined(separator: ", "))")
        }
        let corpusFolder = corpus.map { URL(fileURLWithPath: $0) }
        if let replay {
            print(try Worker.replay(target: target, file: URL(fileURLWithPath: replay)))
            return
        }
        if let workerFrom, let workerProgress {
            let worker = Worker(
                target: target, seed: seed, corpus: corpusFolder, progressFile: workerProgress)
            try worker.run(from: workerFrom, count: min(batch, runs), seconds: seconds)
            return
        }
        let supervisor = Supervisor(
            target: target, seed: seed, corpus: corpus,
            out: URL(fileURLWithPath: out).appendingPathComponent(target),
            batch: batch, hangSeconds: hangSeconds, maxMemory: maxMemoryMib << 20)
        let report = try supervisor.run(seconds: seconds, runs: runs)
        print(report.text)
        if report.crashes + report.hangs + report.violations > 0 { throw ExitCode(1) }
    }
}
