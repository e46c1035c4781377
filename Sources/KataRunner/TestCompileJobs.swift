import Foundation
import Synchronization

/// The compiler's own command for each kata test file, so that a save can recompile just the
/// test files that spell a name of the student's module that changed (``ModuleSurface``).
///
/// Through the Swift driver that is not possible: it tracks another module's top-level names as
/// one unit, so a newer `Kata` interface makes it recompile all 36 test files; and even with the
/// others left alone, it first emits the `KataTests` module again, a job that type-checks every
/// test file's declarations and expands their macros (3 s of a 4 s save on a 2-core laptop).
/// Nothing the kata runs reads that module (Swift Testing finds suites in the binary), so a
/// save runs the frontend jobs the driver would run for those files, and no other.
///
/// The driver's record of the tests' build (its priors) is removed before such a compile. The
/// driver reads what changed in the module by the names it declares, and compares them with what
/// its record says each test was compiled against: back at the reference solutions' interface
/// (`swift test` builds them in the same folder), it would link a test compiled here against the
/// student's, and the link fails. Without a record, the next `swift build` compiles every test.
struct TestCompileJobs: Codable, Sendable, Equatable {
    /// Each test source's frontend command, by the source's path.
    var bySource: [String: [String]]
    /// The driver's record of the tests' build.
    var driverRecord: String

    /// The jobs `bySource`, next to the driver's record `driverRecord`.
    init(bySource: [String: [String]], driverRecord: String) {
        self.bySource = bySource
        self.driverRecord = driverRecord
    }

    /// The jobs the driver plans for the tests' compile `command` (SwiftPM's, from its build
    /// description), one per source; nil if the driver could not be asked or planned otherwise.
    static func planned(by command: [String]) -> TestCompileJobs? {
        guard let record = driverRecord(of: command), let printed = DriverJobs.printed(by: planning(command))
        else { return nil }
        return TestCompileJobs(printedJobs: printed, driverRecord: record)
    }

    /// Where the driver keeps its record of `command`'s build: beside the module's dependency
    /// file named in its output file map, as `.priors`.
    static func driverRecord(of command: [String]) -> String? {
        guard let index = command.firstIndex(of: "-output-file-map"), index + 1 < command.count,
            let data = FileManager.default.contents(atPath: command[index + 1]),
            let map = try? JSONDecoder().decode([String: [String: String]].self, from: data),
            let dependencies = map[""]?["swift-dependencies"]
        else { return nil }
        return URL(fileURLWithPath: dependencies).deletingPathExtension().appendingPathExtension("priors")
            .path
    }

    /// `command` made to print its jobs instead of running them: one per file (no batches), none
    /// that emits the tests' module, and without the driver's incremental record, which it would
    /// otherwise read to leave out the files it believes up to date.
    static func planning(_ command: [String]) -> [String] {
        var planning: [String] = []
        var skipsValue = false
        for argument in command {
            if skipsValue {
                skipsValue = false
            } else if argument == "-emit-module-path" {
                skipsValue = true
            } else if !["-incremental", "-enable-batch-mode", "-emit-module"].contains(argument) {
                planning.append(argument)
            }
        }
        return planning + ["-driver-print-jobs"]
    }

    /// The jobs in the driver's printout (a shell command a line); nil unless every job compiles
    /// exactly one primary file, with all its arguments on its line (no response file).
    init?(printedJobs: String, driverRecord: String) {
        var jobs: [String: [String]] = [:]
        for line in printedJobs.split(whereSeparator: \.isNewline) {
            guard let words = DriverJobs.shellWords(line), words.contains("-frontend") else { continue }
            let primaries = words.indices.filter { words[$0] == "-primary-file" && $0 + 1 < words.count }
            guard primaries.count == 1, let primary = primaries.first,
                !words.contains(where: { $0.hasPrefix("@") })
            else { return nil }
            jobs[words[primary + 1]] = words
        }
        guard !jobs.isEmpty else { return nil }
        self.init(bySource: jobs, driverRecord: driverRecord)
    }

    /// Runs the jobs of `sources`, side by side; nil if they all compiled, else how the build
    /// ends (the compiler's errors, from every job that failed, are the student's to read: a test
    /// that no longer fits their change). A source without a job needs a full build. A job that
    /// did not compile leaves no object: the one before was compiled against another module, and
    /// a link without it fails rather than run a stale test.
    func compile(_ sources: [URL], cancellation: Cancellation?) -> QuickBuild.Outcome? {
        let commands = sources.map { bySource[$0.path] }
        if commands.contains(where: { $0 == nil }) { return .needsFullBuild }
        try? FileManager.default.removeItem(atPath: driverRecord)
        let endings = Mutex([ChildProcess.Result?](repeating: nil, count: commands.count))
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        sideBySide(commands.count, workers: workers, cancellation: cancellation) { index in
            guard let command = commands[index] else { return }
            let result = try? ChildProcess.run(
                command[0], Array(command.dropFirst()), cancellation: cancellation)
            endings.withLock { $0[index] = result }
        }
        let results = endings.withLock { $0 }
        for (command, result) in zip(commands, results) where result?.ending != .exited(0) {
            if let object = command?.firstIndex(of: "-o").flatMap({ command?[$0 + 1] }) {
                try? FileManager.default.removeItem(atPath: object)
            }
        }
        if cancellation?.isCancelled == true || results.contains(where: { $0?.ending == .cancelled }) {
            return .cancelled
        }
        let failed = results.filter { $0?.ending != .exited(0) }
        if failed.isEmpty { return nil }
        return .failed(output: failed.map { $0?.output ?? "the compiler could not be started\n" }.joined())
    }
}
