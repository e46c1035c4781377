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

        var scratchFolder: String { self == .student ? ".build-kata" : ".build-kata-\(rawValue)" }
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

    /// Builds `copy` and runs the kata tests (only `suite`'s, if given); returns what happened.
    public func test(_ copy: Copy, suite: String? = nil) throws -> KataRun {
        let environment = ["NODENET_KATA": copy.rawValue]
        let scratch = ["--scratch-path", root.appendingPathComponent(copy.scratchFolder).path]
        let build = try run(["build", "--build-tests"] + scratch, environment: environment)
        guard build.status == 0 else { return .didNotCompile(output: build.output) }
        let filter = suite.map { "KataTests.\($0)" } ?? "KataTests"
        let test = try run(["test", "--skip-build", "--filter", filter] + scratch, environment: environment)
        return .ran(output: test.output)
    }

    private func run(_ arguments: [String], environment: [String: String]) throws -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift"] + arguments
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

/// What one kata build-and-test gave.
public enum KataRun: Sendable {
    /// The exercises did not compile; the compiler's output.
    case didNotCompile(output: String)
    /// The tests ran; their output.
    case ran(output: String)
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
