import ClassroomStudent
import Foundation

/// The student's board, sent to the teacher's classroom once the workspace has joined one
/// (`kata join`). After every check the report goes into the outbox and the sender
/// (`kata-report`, built with `kata` itself) is started in the background:
/// nothing here waits for the network, and `kata` never waits for the sender.
public struct ClassroomReporting: Sendable {
    /// The workspace reported on.
    public let workspace: Workspace

    /// Reporting for `workspace`.
    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// `.kata-classroom/`.
    public var classroom: ClassroomFolder { ClassroomFolder(workspaceRoot: workspace.root) }

    /// The sender: `swift run kata` builds it beside `kata` (which depends on it but does not link
    /// it, so `kata` never links NodeNet).
    public var sender: URL { workspace.scratch(for: .student).appendingPathComponent("debug/kata-report") }

    /// How large the sender's log may grow before it is started afresh.
    static let maxLogBytes = 256 * 1024

    /// Reports `progress`, checked at `now`, if the workspace has joined a classroom; returns what
    /// the student must be told (said once: a refused token, a report the server refused).
    ///
    /// Until the sender is built (the first build is still to come, or it failed), reports wait.
    public func report(_ progress: KataProgress, at now: Date = Date()) -> [String] {
        guard classroom.enrolment() != nil else { return [] }
        var tell = classroom.takeNotice().map { [$0] } ?? []
        guard !classroom.tokenRefused else { return tell }
        do {
            try classroom.outbox.post(progress.observations(workspaceRoot: workspace.root), at: now)
            try startSender()
        } catch {
            tell.append("Your board could not be sent to the classroom: \(error)")
        }
        return tell
    }

    /// Starts the sender in the background, if it is built: it sends the newest report waiting.
    public func startSender() throws {
        guard FileManager.default.isExecutableFile(atPath: sender.path) else { return }
        let log = classroom.senderLog
        if let size = try? FileManager.default.attributesOfItem(atPath: log.path)[.size] as? Int,
            size > Self.maxLogBytes
        {
            try? FileManager.default.removeItem(at: log)
        }
        try ChildProcess.startDetached(sender.path, ["send", workspace.root.path], log: log)
    }

    /// Builds the sender alone, as `swift run kata` does (not the student's files, which may not
    /// compile), for a `kata` started without `swift run`; returns the compiler's output if it failed.
    public func buildSender() throws -> BuildResult {
        let result = try ChildProcess.run(
            "swift",
            [
                "build", "--product", "kata-report", "--package-path", workspace.root.path, "--scratch-path",
                workspace.scratch(for: .student).path,
            ])
        return result.ending == .exited(0) ? .built : .failed(output: result.output)
    }
}
