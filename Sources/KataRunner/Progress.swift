/// Where a student stands on every exercise, derived from a test run: nothing is stored.
public struct KataProgress: Sendable {
    /// One exercise's state.
    public enum State: Sendable, Equatable {
        /// Its tests pass.
        case done
        /// Its tests fail; what they said.
        case failing([String])
        /// The exercises do not compile; the compiler's errors in this exercise's file.
        case doesNotCompile([String])
        /// Not known (another exercise's file does not compile, or its suite did not run).
        case unknown
    }

    /// Each exercise, in manifest order, with its state.
    public let entries: [(folder: String, exercise: KataManifest.Exercise, state: State)]

    /// Derives every exercise's state from one run of the kata tests.
    public init(manifest: KataManifest, run: KataRun, workspace: Workspace) {
        switch run {
        case .ran(let output):
            let report = TestReport(swiftTestOutput: output)
            entries = manifest.all.map { folder, exercise in
                guard let suite = report.suites[exercise.suite] else { return (folder, exercise, .unknown) }
                return (folder, exercise, suite.passed ? .done : .failing(suite.messages))
            }
        case .didNotCompile(let output):
            let errors = compilerErrors(in: output)
            entries = manifest.all.map { folder, exercise in
                let file = workspace.path(of: exercise, in: folder, copy: .student)
                let mine = errors.filter { $0.file.hasSuffix("/" + file) }.map(\.line)
                return (folder, exercise, mine.isEmpty ? .unknown : .doesNotCompile(mine))
            }
        }
    }

    /// The exercise to work on: one that does not compile, else the first that is not done.
    public var next: (folder: String, exercise: KataManifest.Exercise, state: State)? {
        let broken = entries.first {
            if case .doesNotCompile = $0.state { return true }
            return false
        }
        return broken ?? entries.first { $0.state != .done }
    }

    /// How many are done.
    public var doneCount: Int { entries.filter { $0.state == .done }.count }
}
