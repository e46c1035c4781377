/// Where a student stands on every exercise, derived from the tests (and their remembered
/// verdicts): nothing is stored that the tests did not say.
public struct KataProgress: Sendable {
    /// One exercise's state.
    public enum State: Sendable, Equatable, Codable {
        /// Its tests pass.
        case done
        /// Its file is still exactly its stub, so its tests were not run.
        case notStarted
        /// Its tests fail; what they said.
        case failing([String])
        /// Its tests fail, but no message could be read from their output.
        case failedWithoutMessage
        /// The test process crashed (a `fatalError`, an index out of range) in this exercise's
        /// tests; the runtime's words, with the place in the student's file where known.
        case crashed(test: String?, lines: [String])
        /// A test never finished: killed at its deadline, or for the memory it took.
        case stuck(test: String?, why: String)
        /// The exercises do not compile; the compiler's errors in this exercise's file.
        case doesNotCompile([String])
        /// Not known (another exercise's file does not compile, or the run was stopped).
        case unknown
    }

    /// One exercise with its chapter's folder and its state.
    public typealias Entry = (folder: String, exercise: KataManifest.Exercise, state: State)

    /// Each exercise, in manifest order, with its state.
    public var entries: [Entry]

    /// The compiler's output when the exercises did not compile, else nil.
    public var compilerOutput: String?

    /// Progress made of these entries.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Every exercise's state from one run of all the kata tests in one process (`output`).
    public init(manifest: KataManifest, output: String) {
        let report = TestReport(swiftTestOutput: output)
        entries = manifest.all.map { folder, exercise in
            guard let suite = report.suites[exercise.suite] else { return (folder, exercise, .unknown) }
            return (folder, exercise, suite.passed ? .done : Verdict.failing(suite.messages))
        }
    }

    /// Marks each exercise whose file the compiler's `output` names as not compiling, keeping
    /// every other exercise's state (its last verdict still holds for its unchanged file).
    public mutating func markCompilerErrors(_ output: String, workspace: Workspace) {
        compilerOutput = output
        let errors = compilerErrors(in: output)
        for index in entries.indices {
            let (folder, exercise, _) = entries[index]
            let file = workspace.path(of: exercise, in: folder, copy: .student)
            let mine = errors.filter { $0.file.hasSuffix("/" + file) }.map(\.line)
            if !mine.isEmpty { entries[index].state = .doesNotCompile(mine) }
        }
    }

    /// The exercise to work on: one that does not compile, else the first that is not done.
    public var next: Entry? {
        let broken = entries.first {
            if case .doesNotCompile = $0.state { return true }
            return false
        }
        return broken ?? entries.first { $0.state != .done }
    }

    /// How many are done.
    public var doneCount: Int { entries.filter { $0.state == .done }.count }

    /// The state of the exercise called `name`.
    public func state(of name: String) -> State? {
        entries.first { $0.exercise.name == name }?.state
    }
}
