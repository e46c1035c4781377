import Foundation
import TestSupport
import Testing

/// The repository's root folder (tests read the chapters and run the Node twins from it).
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Python 3 with `module` importable (CI installs it with pip); the interpreter's path.
func requirePythonModule(_ module: String) async throws -> String {
    let python = try requirePeer("python3")
    let check = try RunningProgram(python, ["-c", "import \(module)"])
    if try await check.waitForExit() == 0 { return python }
    if ProcessInfo.processInfo.environment["CI"] == "true" {
        Issue.record("the Python package \(module) is required under CI=true: .ci/run installs it")
        throw MissingPeer(name: module)
    }
    try Test.cancel("the Python package \(module) is not installed (pip install \(module)): skipping")
}

/// The port a server printed in the book's line 正在监听N端口.
func listeningPort(in output: String) throws -> Int {
    let match = try #require(output.firstMatch(of: /正在监听(\d+)端口/), "no 正在监听…端口 line in: \(output)")
    return try #require(Int(match.1))
}
