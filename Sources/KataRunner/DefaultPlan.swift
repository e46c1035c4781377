import Foundation

/// SwiftPM's plan of the package in `.build/`, which the student's kata builds and every
/// `swift run` share, put back in the background after a kata build.
///
/// A kata build through SwiftPM describes the package otherwise (the manifest's kata mode), so it
/// leaves its own plan in `.build/`. The student's next `swift run` then plans the whole package
/// again, and so does the one after it: SwiftPM keys its plan by the environment (a kata build's
/// has `NODENET_KATA`), and it notices that the folders the plan watches changed only on the run
/// after that. That is 1.7 s each on a 2-core laptop, at the first save after the first build.
/// So once the board is shown, `kata` runs those two plannings itself in the background, with the
/// very environment the student's `swift run kata` gave it, and the next `swift run` finds the
/// plan as it left it.
public struct DefaultPlan: Sendable {
    /// The workspace whose `.build/` is planned.
    public let workspace: Workspace
    /// The product built to plan the package: the one the student runs most.
    var product = "kata"

    /// The plan of `workspace`'s `.build/`.
    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// `.build/`, where the student's copy is built too.
    var scratch: URL { workspace.scratch(for: .student) }
    /// Present from the start of a kata build through SwiftPM until the plan is put back.
    var marker: URL { scratch.appendingPathComponent("kata-default-plan-is-stale") }
    /// The background plannings' output.
    var log: URL { scratch.appendingPathComponent("kata-default-plan.log") }

    /// Notes that a kata build is about to leave its plan in `.build/` (noted before it starts:
    /// a build stopped halfway has changed the plan too).
    func kataBuildStarts() {
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: marker.path, contents: Data())
    }

    /// Whether a kata build left its plan and nothing has put the default one back yet.
    var isStale: Bool { FileManager.default.fileExists(atPath: marker.path) }

    /// The two plannings, one after the other, in one shell (`$0` is the workspace's root). The
    /// log's last line says they are over, and how they ended.
    var command: [String] {
        let build = "swift build --product \(product) --package-path \"$0\""
        return ["/bin/sh", "-c", "\(build) && \(build); echo \"\(Self.lastLine) $?\"", workspace.root.path]
    }

    /// How the log's last line starts.
    static let lastLine = "kata: planned again, exit status"

    /// Starts the plannings in the background if a kata build left its plan, and if `executable`,
    /// the running `kata`, is this workspace's own (the one `swift run kata` builds): a `kata` run
    /// on another workspace, as the tests do, must not build in it. Returns whether it started.
    @discardableResult
    public func restoreInBackground(
        runningAs executable: URL? = Bundle.main.executableURL
    ) -> Bool {
        guard isStale, let executable, isOwnKata(executable) else { return false }
        try? FileManager.default.removeItem(at: marker)
        try? FileManager.default.removeItem(at: log)
        do {
            try ChildProcess.startDetached(command[0], Array(command.dropFirst()), log: log)
        } catch {
            // Only time is lost: the student's next `swift run` plans as it always did.
            return false
        }
        return true
    }

    /// The same plannings, waited for (for the tests). Returns their output if they failed.
    func restore() throws -> String? {
        try? FileManager.default.removeItem(at: marker)
        let result = try ChildProcess.run(command[0], Array(command.dropFirst()))
        return result.output.contains("\(Self.lastLine) 0\n") ? nil : result.output
    }

    /// Whether `executable` is the `kata` that `swift run kata` builds in this workspace.
    func isOwnKata(_ executable: URL) -> Bool {
        let own = scratch.appendingPathComponent("debug/\(product)")
        return executable.resolvingSymlinksInPath().path == own.resolvingSymlinksInPath().path
    }
}
