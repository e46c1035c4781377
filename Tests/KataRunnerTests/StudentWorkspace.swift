import ClassroomStudent
import Foundation
import KataRunner

/// A student's workspace in a temporary folder, run as the student runs it: the built `kata` and
/// `kata-report`. Every exercise is untouched, so a check builds and runs nothing (a stand-in test
/// binary says the build is done), and the sender sits where the kata build puts it.
struct StudentWorkspace {
    let workspace: Workspace

    /// The folder holding this test bundle and the package's executables.
    static let builds = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent()

    private init(_ manifest: KataManifest) throws {
        workspace = try Fixtures.scratchWorkspace(manifest)
        let debug = workspace.scratch(for: .student).appendingPathComponent("debug")
        try FileManager.default.createDirectory(at: debug, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(
            atPath: workspace.testBinary(in: workspace.scratch(for: .student)).path, contents: Data())
        try FileManager.default.createSymbolicLink(
            at: debug.appendingPathComponent("kata-report"),
            withDestinationURL: Self.builds.appendingPathComponent("kata-report"))
    }

    /// A new workspace (the only way to make one), made off the event loop: copying one takes a second or more on a busy
    /// machine, and a test on the loop would hold up every other test's connections meanwhile
    /// (in a plain `swift test`, enough of them to run out their waits).
    static func make(_ manifest: KataManifest) async throws -> StudentWorkspace {
        try await Fixtures.offThePool { try StudentWorkspace(manifest) }
    }

    /// `.kata-classroom/`.
    var classroom: ClassroomFolder { ClassroomFolder(workspaceRoot: workspace.root) }

    /// Runs `kata` with `arguments` in the workspace, as `swift run kata` would.
    func kata(_ arguments: [String] = [], environment: [String: String] = [:]) async throws
        -> ChildProcess.Result
    {
        try await run(
            ["-C", workspace.root.path, Self.builds.appendingPathComponent("kata").path] + arguments,
            environment)
    }

    /// Runs `kata-report` with `arguments` (after its subcommand, the workspace's root is added).
    func reporter(_ command: String, _ arguments: [String] = [], environment: [String: String] = [:])
        async throws
        -> ChildProcess.Result
    {
        let program = Self.builds.appendingPathComponent("kata-report").path
        return try await run([program, command, workspace.root.path] + arguments, environment)
    }

    /// `kata-report join` on a terminal of its own (`script` makes one), typing `answer` when asked.
    func joinOnATerminal(_ address: String, answering answer: String) async throws -> ChildProcess.Result {
        let command = [
            Self.builds.appendingPathComponent("kata-report").path, "join", workspace.root.path, address,
            "--name",
            "Ada", "--code", FakeClassroom.code,
        ].joined(separator: " ")
        return try await run(
            ["/bin/sh", "-c", "printf '\(answer)\\n' | script -qec '\(command)' /dev/null"], [:])
    }

    /// Joins `classroom` with its own fingerprint.
    func join(_ address: String, fingerprint: String, code: String = FakeClassroom.code) async throws
        -> ChildProcess.Result
    {
        try await reporter("join", [address, "--name", "Ada", "--code", code, "--fingerprint", fingerprint])
    }

    /// Waits until no sender works (it holds the send lock while it does).
    func senderFinished() async throws {
        let lock = classroom.sendLock
        _ = try await Fixtures.offThePool { FileLock(lock, waiting: true) != nil }
    }

    /// What the background senders wrote.
    var senderLog: String {
        (try? String(contentsOf: classroom.senderLog, encoding: .utf8)) ?? ""
    }

    func remove() {
        try? FileManager.default.removeItem(at: workspace.root)
    }

    private func run(_ arguments: [String], _ environment: [String: String]) async throws
        -> ChildProcess.Result
    {
        // The classroom these tests talk to runs on the event loop every test in this process
        // shares; in a plain `swift test` on two cores, the first half minute keeps that loop
        // busier than one core, and an exchange waited past `kata-report`'s 10 s (20 tests failed
        // so in one run of nine). A test about that limit sets its own.
        let environment = ["KATA_REPORT_EXCHANGE_MS": "30000"].merging(environment) { $1 }
        return try await Fixtures.offThePool {
            try ChildProcess.run(
                "/usr/bin/env", arguments, environment: environment, limits: ChildProcess.Limits(seconds: 40))
        }
    }
}
