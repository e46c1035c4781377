import ClassroomStudent
import Foundation

/// The checked-out workspace: where the exercises, stubs and solutions are, and how to build and
/// test one copy of them.
public struct Workspace: Sendable {
    /// The folder holding `Package.swift`.
    public let root: URL

    /// Which copy of the exercises a build uses (see `kataMode` in Package.swift).
    public enum Copy: String, Sendable {
        /// The student's files in `Exercises/<chapter>/`.
        case student
        /// The untouched starting points in `Exercises/Stubs/`.
        case stubs
        /// The reference solutions in `Exercises/Solutions/`.
        case solutions

        /// Where it is built. The student's copy in `.build/` with everything else (`swift run kata`
        /// has built SwiftNIO and the runtime there already, and `swift run tour` the same); the
        /// teacher's copies apart, so that `kata verify` never disturbs a student's loop.
        var scratchFolder: String { self == .student ? ".build" : ".build-kata-verify" }
    }

    /// The workspace containing the current directory (or one of its parents).
    public static func find(from start: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        throws -> Workspace
    {
        var folder = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(
                atPath: folder.appendingPathComponent("Exercises/kata.json").path)
            {
                return Workspace(root: folder)
            }
            let parent = folder.deletingLastPathComponent()
            guard parent.path != folder.path else { throw KataError("run kata from inside the workspace") }
            folder = parent
        }
    }

    /// Creates a workspace rooted at `root`.
    public init(root: URL) {
        self.root = root
    }

    /// The path, relative to the root, of `exercise`'s file in `copy`.
    public func path(of exercise: KataManifest.Exercise, in folder: String, copy: Copy) -> String {
        switch copy {
        case .student: "Exercises/\(folder)/\(exercise.file)"
        case .stubs: "Exercises/Stubs/\(folder)/\(exercise.file)"
        case .solutions: "Exercises/Solutions/\(folder)/\(exercise.file)"
        }
    }

    /// The path, relative to the root, of `exercise`'s test suite.
    public func testPath(of exercise: KataManifest.Exercise, in folder: String) -> String {
        "Tests/KataTests/\(folder)/\(exercise.suite).swift"
    }

    /// Whether the student's file is byte for byte its stub: an exercise not started yet.
    public func isUntouched(_ exercise: KataManifest.Exercise, in folder: String) -> Bool {
        let mine = try? Data(
            contentsOf: root.appendingPathComponent(path(of: exercise, in: folder, copy: .student)))
        let stub = try? Data(
            contentsOf: root.appendingPathComponent(path(of: exercise, in: folder, copy: .stubs)))
        return mine != nil && mine == stub
    }

    /// Where `copy` is built: its own scratch folder, so that the copies never mix.
    public func scratch(for copy: Copy) -> URL {
        root.appendingPathComponent(copy.scratchFolder)
    }

    /// The environment that makes Package.swift build `copy` (and only what the kata tests need).
    func environment(for copy: Copy, round: String? = nil) -> [String: String] {
        var environment = ["NODENET_KATA": round == nil ? copy.rawValue : "round"]
        if let round { environment["NODENET_KATA_ROUND"] = round }
        return environment
    }

    /// Builds the kata tests against `copy` (in `round`, a folder of exercise files relative to
    /// the root, instead if given) in `scratch`; returns the compiler's output if it failed.
    public func build(
        _ copy: Copy, round: String? = nil, scratch: URL? = nil, cancellation: Cancellation? = nil
    ) throws -> BuildResult {
        let folder = scratch ?? self.scratch(for: copy)
        let plan = DefaultPlan(workspace: self)
        if folder.standardizedFileURL == plan.scratch.standardizedFileURL { plan.kataBuildStarts() }
        let result = try ChildProcess.run(
            "swift",
            [
                "build", "--product", Self.testProduct, "--package-path", root.path, "--scratch-path",
                folder.path,
            ],
            environment: environment(for: copy, round: round), cancellation: cancellation)
        switch result.ending {
        case .exited(0): return .built
        case .cancelled: return .cancelled
        default: return .failed(output: result.output)
        }
    }

    /// The product SwiftPM makes of every test target (named after the package).
    static let testProduct = "NodeNetSwiftPackageTests"

    /// The kata test binary built in `scratch` (SwiftPM names it after the package).
    public func testBinary(in scratch: URL) -> URL {
        scratch.appendingPathComponent("debug/\(Self.testProduct).xctest")
    }

    /// The command that runs `suite` from the binary in `scratch` (Swift Testing, not XCTest).
    public func testCommand(suite: String, scratch: URL) -> [String] {
        testCommand(suites: [suite], scratch: scratch)
    }

    /// The command that runs every one of `suites` in one process from the binary in `scratch`.
    func testCommand(suites: [String], scratch: URL) -> [String] {
        [testBinary(in: scratch).path, "--testing-library", "swift-testing"]
            + suites.flatMap { ["--filter", "KataTests.\($0)$"] }
    }

    /// Runs `suite` alone, in a process of its own, within `limits`; `patience` (seconds) caps
    /// every wait of the tests (`waitFor` in TestSupport) where given. Every wait also ends, as a
    /// failure, once nothing left in the test process could bring what it waits for (the
    /// runtime's `Quiescence`): a stub that never answers fails in a tenth of a second.
    public func runSuite(
        _ suite: String, scratch: URL, limits: ChildProcess.Limits, patience: Int?,
        cancellation: Cancellation? = nil
    ) throws -> ChildProcess.Result {
        try runSuites(
            [suite], scratch: scratch, limits: limits, patience: patience, cancellation: cancellation)
    }

    /// Runs all of `suites` in one process, side by side as Swift Testing runs them, within
    /// `limits`; `patience` as in ``runSuite(_:scratch:limits:patience:cancellation:)``.
    func runSuites(
        _ suites: [String], scratch: URL, limits: ChildProcess.Limits, patience: Int?,
        cancellation: Cancellation? = nil
    ) throws -> ChildProcess.Result {
        let command = testCommand(suites: suites, scratch: scratch)
        // Plain text: Swift Testing colours its output when the terminal it thinks it has does.
        var environment = ["NO_COLOR": "1", "NODENET_QUIET_WAITS": "1"]
        if let patience { environment["NODENET_TEST_PATIENCE"] = String(patience) }
        return try ChildProcess.run(
            command[0], Array(command.dropFirst()), environment: environment, limits: limits,
            cancellation: cancellation)
    }
}

/// What building the kata tests gave.
public enum BuildResult: Sendable, Equatable {
    /// It built.
    case built
    /// It did not compile; the compiler's output.
    case failed(output: String)
    /// It was cancelled before it ended.
    case cancelled
}

/// A problem the kata runner reports in plain words.
public struct KataError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
