import Foundation
import KataRunner

/// What the runner's tests work on: this workspace, captured outputs (Fixtures/), and scratch
/// copies of the exercises to break freely.
enum Fixtures {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let workspace = Workspace(root: here.deletingLastPathComponent().deletingLastPathComponent())

    /// A captured output, `Fixtures/<name>.txt`, byte for byte (line ends included).
    static func text(_ name: String) throws -> String {
        String(
            decoding: try Data(contentsOf: here.appendingPathComponent("Fixtures/\(name).txt")), as: UTF8.self
        )
    }

    /// A copy of the workspace's exercises and kata tests in a temporary folder, with the
    /// student's files as shipped: the stubs.
    static func scratchWorkspace(_ manifest: KataManifest) throws -> Workspace {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kata-\(UUID().uuidString)")
        for folder in ["Exercises", "Tests/KataTests"] {
            let target = root.appendingPathComponent(folder)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: workspace.root.appendingPathComponent(folder), to: target)
        }
        for (folder, exercise) in manifest.all {
            let student = root.appendingPathComponent(
                workspace.path(of: exercise, in: folder, copy: .student))
            try FileManager.default.removeItem(at: student)
            try FileManager.default.copyItem(
                at: root.appendingPathComponent(workspace.path(of: exercise, in: folder, copy: .stubs)),
                to: student
            )
        }
        return Workspace(root: root)
    }

    /// How much nicer than the tests the runner's children start: below the tests' own event
    /// loop, which every in-process test waits on (``ChildProcess/niceness``).
    static let childNiceness: Int32 = 10

    /// Runs `work` on a thread of its own and awaits it. The runner blocks while its child runs,
    /// and a blocked test would hold one of the few threads that every other test needs. The
    /// children it starts (builds, mostly) run ``childNiceness`` nicer.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        ChildProcess.niceness = childNiceness
        return try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
