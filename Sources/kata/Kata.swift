import ArgumentParser
import Foundation
import KataRunner

/// `swift run kata`: the exercises' progress board and runner.
@main struct Kata: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kata",
        abstract: "Exercises, chapter by chapter: shows your progress and runs the next one's tests.",
        subcommands: [
            Board.self, Watch.self, List.self, Run.self, Hint.self, Reset.self, Solution.self, Join.self,
            Verify.self, ClassroomCommand.self,
        ],
        defaultSubcommand: Board.self
    )
}

/// The workspace and its manifest, for every command.
struct Context: Sendable {
    let workspace: Workspace
    let manifest: KataManifest

    init() throws {
        workspace = try Workspace.find()
        manifest = try KataManifest.load(from: workspace.root)
        // Whatever stops `kata` stops the builds and tests it started.
        Children.shared.stopAllOnSignal()
    }

    var checker: Checker { Checker(workspace: workspace, manifest: manifest) }

    func exercise(_ name: String) throws -> (folder: String, exercise: KataManifest.Exercise) {
        guard let found = manifest.find(name) else {
            throw KataError("no exercise is called \(name); `swift run kata list` shows them all")
        }
        return found
    }

    /// Checks one exercise (building first if needed); returns its state, the compiler's output
    /// if the exercises did not compile, and the whole board as it now stands.
    func check(_ exercise: KataManifest.Exercise) throws -> (
        state: KataProgress.State, compilerOutput: String?, progress: KataProgress
    ) {
        announceFirstBuild()
        let progress = try checker.check(only: [exercise.name])
        return (progress.state(of: exercise.name) ?? .unknown, progress.compilerOutput, progress)
    }

    /// Sends the board to the teacher's classroom if this workspace joined one (in the background:
    /// call it once the student has seen the board), and says what the sender left to say.
    func reportToClassroom(_ progress: KataProgress) {
        for line in ClassroomReporting(workspace: workspace).report(progress) { say(line) }
    }

    /// Once the student has seen the board: puts SwiftPM's plan of the package back in the
    /// background if a kata build changed it, so the next `swift run` does not plan it again.
    func restoreDefaultPlan() {
        DefaultPlan(workspace: workspace).restoreInBackground()
    }

    /// Says that the first build takes a while, before it starts.
    func announceFirstBuild() {
        if !checker.hasBuilt {
            say("Building the exercises and their tests for the first time (a few minutes; then seconds)…")
        }
    }
}

/// Prints at once (the runner's own output interleaves with builds).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
