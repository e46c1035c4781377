import Foundation
import Testing

/// A peer program nobody here wrote (node, curl, openssl …), found on PATH.
///
/// Outside CI a missing peer skips the test with a message; with `CI=true` it is a failure,
/// because CI installs every peer.
public func requirePeer(_ name: String) throws -> String {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/\(name)" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    if let path { return path }
    if ProcessInfo.processInfo.environment["CI"] == "true" {
        Issue.record("\(name) is required under CI=true: .ci/run installs it")
        throw MissingPeer(name: name)
    }
    try Test.cancel("\(name) is not installed: skipping this interop test")
}

/// A peer the test needs is missing under CI.
public struct MissingPeer: Error {
    /// The program's name.
    public let name: String

    /// A missing peer, by name.
    public init(name: String) {
        self.name = name
    }
}

/// How a peer program that ran to its end exited, and what it printed.
public struct PeerRun: Sendable, CustomStringConvertible {
    /// The exit status (0 is success).
    public let status: Int32
    /// Everything written to stdout.
    public let output: String
    /// Everything written to stderr.
    public let errors: String

    /// The run as a failing test shows it.
    public var description: String { "exit \(status)\nstdout: \(output)\nstderr: \(errors)" }
}

/// Runs the peer at `executable` with `arguments` in `directory` and waits for its end, without
/// blocking a thread. Output goes to files, not pipes, so a chatty program never stalls on a full pipe.
public func runPeer(_ executable: String, _ arguments: [String], in directory: URL) async throws -> PeerRun {
    let name = UUID().uuidString
    let outputFile = directory.appendingPathComponent(".\(name).out")
    let errorFile = directory.appendingPathComponent(".\(name).err")
    // FileHandle(forWritingTo:) below throws if a file could not be made.
    for file in [outputFile, errorFile] {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
    }
    defer { for file in [outputFile, errorFile] { try? FileManager.default.removeItem(at: file) } }
    let output = try FileHandle(forWritingTo: outputFile)
    let errors = try FileHandle(forWritingTo: errorFile)
    defer {
        try? output.close()
        try? errors.close()
    }
    // At a lower priority than the tests, as ChapterTests' programs: the tests' shared event loop
    // must not be starved by the peers that run beside it.
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        do {
            _ = try SpawnedChild(
                "/usr/bin/nice", ["-n", "10", executable] + arguments,
                environment: ProcessInfo.processInfo.environment, directory: directory,
                output: output.fileDescriptor, errors: errors.fileDescriptor
            ) { continuation.resume(returning: $0) }
        } catch {
            continuation.resume(throwing: error)
        }
    }
    return PeerRun(
        status: status,
        output: try String(contentsOf: outputFile, encoding: .utf8),
        errors: try String(contentsOf: errorFile, encoding: .utf8))
}

/// A fresh folder under the system's temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// Creates the folder.
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("nodenet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` inside the folder; returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// Reads `name` inside the folder as UTF-8.
    public func read(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// Deletes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
