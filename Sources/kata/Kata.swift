import ArgumentParser
import Foundation
import KataRunner

/// `swift run kata`: the exercises' progress board and runner.
@main struct Kata: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kata",
        abstract: "Exercises, chapter by chapter: shows your progress and runs the next one's tests.",
        subcommands: [
            Board.self, Watch.self, List.self, Run.self, Hint.self, Reset.self, Solution.self, Verify.self,
        ],
        defaultSubcommand: Board.self
    )
}

/// The workspace and its manifest, for every command.
struct Context {
    let workspace: Workspace
    let manifest: KataManifest

    init() throws {
        workspace = try Workspace.find()
        manifest = try KataManifest.load(from: workspace.root)
    }

    func exercise(_ name: String) throws -> (folder: String, exercise: KataManifest.Exercise) {
        guard let found = manifest.find(name) else {
            throw KataError("no exercise is called \(name); `swift run kata list` shows them all")
        }
        return found
    }

    /// Builds the student's files and runs one exercise's tests; returns its state.
    func state(of exercise: KataManifest.Exercise) throws -> KataProgress.State {
        let run = try workspace.test(.student, suite: exercise.suite)
        let progress = KataProgress(manifest: manifest, run: run, workspace: workspace)
        return progress.entries.first { $0.exercise == exercise }?.state ?? .unknown
    }

    /// Builds the student's files and runs every exercise's tests.
    func progress() throws -> KataProgress {
        say("Building and testing your exercises (the first time takes a minute or two)…")
        let run = try workspace.test(.student)
        return KataProgress(manifest: manifest, run: run, workspace: workspace)
    }
}

/// Prints at once (the runner's own output interleaves with builds).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

struct Board: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The board, then the next exercise's test results.")

    func run() throws {
        let context = try Context()
        let progress = try context.progress()
        say(KataRunner.Board.render(progress, manifest: context.manifest))
        say(KataRunner.Board.nextSteps(progress, workspace: context.workspace))
    }
}

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-runs whenever a file under Exercises/ changes. Stop with Ctrl-C."
    )
    @Flag(help: "Re-run when you press Enter instead (for file systems that do not report changes).")
    var manual = false

    func run() throws {
        let context = try Context()
        var lastSeen = modificationTimes(context.workspace)
        while true {
            let progress = try context.progress()
            say(KataRunner.Board.render(progress, manifest: context.manifest))
            say(KataRunner.Board.nextSteps(progress, workspace: context.workspace))
            if manual {
                say("\nPress Enter to run again, Ctrl-C to stop.")
                guard readLine() != nil else { return }
            } else {
                say(
                    "\nWatching Exercises/ for changes. Ctrl-C stops; `kata watch --manual` re-runs on Enter."
                )
                // Polling mtimes works on every file system, including those that send no events.
                while modificationTimes(context.workspace) == lastSeen { Thread.sleep(forTimeInterval: 0.5) }
                lastSeen = modificationTimes(context.workspace)
            }
        }
    }

    private func modificationTimes(_ workspace: Workspace) -> [String: Date] {
        let folder = workspace.root.appendingPathComponent("Exercises")
        let files = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.contentModificationDateKey])
        var times: [String: Date] = [:]
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            times[url.path] =
                (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
        }
        return times
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Every exercise, in order, with what it practises.")

    func run() throws {
        let context = try Context()
        for chapter in context.manifest.chapters {
            say(chapter.title)
            for exercise in chapter.exercises {
                say("  \(exercise.name)  \(exercise.section)  Exercises/\(chapter.folder)/\(exercise.file)")
                say("      \(exercise.practises)")
            }
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Runs one exercise's tests against your file.")
    @Argument(help: "The exercise's name (see `kata list`).") var name: String

    func run() throws {
        let context = try Context()
        let (folder, exercise) = try context.exercise(name)
        say("Testing \(context.workspace.path(of: exercise, in: folder, copy: .student))…")
        let state = try context.state(of: exercise)
        switch state {
        case .done: say("✔ \(exercise.name) passes. `swift run kata` shows what is next.")
        case .failing(let messages):
            say((messages.map { "✘ " + $0 } + ["Stuck? swift run kata hint \(name)"]).joined(separator: "\n"))
        case .doesNotCompile(let errors): say((["It does not compile:"] + errors).joined(separator: "\n"))
        case .unknown:
            say("Its tests did not run: another exercise's file does not compile. Run `swift run kata`.")
        }
        if state != .done { throw ExitCode(1) }
    }
}

struct Hint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The hint for an exercise (the next one by default).")
    @Argument(help: "The exercise's name.") var name: String?

    func run() throws {
        let context = try Context()
        let exercise: KataManifest.Exercise
        if let name {
            exercise = try context.exercise(name).exercise
        } else if let next = try context.progress().next {
            exercise = next.exercise
        } else {
            return say("Every exercise passes: no hint needed.")
        }
        say("Hint for \(exercise.name) (\(exercise.section)):\n\(exercise.hint)")
    }
}

struct Reset: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Puts an exercise's file back as it started; your version is kept in Exercises/.saved/."
    )
    @Argument(help: "The exercise's name.") var name: String

    func run() throws {
        let context = try Context()
        let (folder, exercise) = try context.exercise(name)
        if let kept = try context.workspace.reset(exercise, in: folder) {
            say("Your version is kept as \(kept).")
        }
        say("\(exercise.name) is back to its starting point.")
    }
}

struct Solution: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A reference solution, once your own passes.")
    @Argument(help: "The exercise's name.") var name: String

    func run() throws {
        let context = try Context()
        let (folder, exercise) = try context.exercise(name)
        guard try context.state(of: exercise) == .done else {
            say(
                "Make \(name) pass first: the solution is shown once your own works. (`swift run kata hint \(name)`)"
            )
            throw ExitCode(1)
        }
        let path = context.workspace.path(of: exercise, in: folder, copy: .solutions)
        say(try String(contentsOf: context.workspace.root.appendingPathComponent(path), encoding: .utf8))
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "For maintainers and CI: manifest and files agree; tests pass on solutions and fail on stubs."
    )

    func run() throws {
        let context = try Context()
        let verifier = Verifier(workspace: context.workspace, manifest: context.manifest)
        var problems = verifier.fileProblems() + verifier.unpristineStudentFiles()
        say("Testing the reference solutions…")
        let solutions = try context.workspace.test(.solutions)
        say("Testing the untouched stubs…")
        let stubs = try context.workspace.test(.stubs)
        problems += verifier.testProblems(solutions: solutions, stubs: stubs)
        guard problems.isEmpty else {
            say("kata verify found problems:\n" + problems.map { "  - " + $0 }.joined(separator: "\n"))
            throw ExitCode(1)
        }
        say(
            "kata verify: \(context.manifest.all.count) exercises; each passes on its solution and fails on its stub."
        )
    }
}
