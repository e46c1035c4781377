import ArgumentParser
import Foundation
import KataRunner

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
    @Flag(help: "Print the tests' own output, as they wrote it.") var raw = false

    func run() throws {
        let context = try Context()
        let (folder, exercise) = try context.exercise(name)
        say("Testing \(context.workspace.path(of: exercise, in: folder, copy: .student))…")
        if raw { return try showRaw(exercise, context: context) }
        let (state, compilerOutput, progress) = try context.check(exercise)
        var lines = KataRunner.Board.verdict(state, of: exercise.name, compilerOutput: compilerOutput)
        if state == .done {
            lines.append("`swift run kata` shows what is next.")
        } else {
            lines.append("Stuck? swift run kata hint \(name)")
        }
        say(lines.joined(separator: "\n"))
        context.reportToClassroom(progress)
        context.restoreDefaultPlan()
        if state != .done { throw ExitCode(1) }
    }

    /// Builds, then runs the suite with the student loop's limits and prints all it wrote.
    private func showRaw(_ exercise: KataManifest.Exercise, context: Context) throws {
        let workspace = context.workspace
        let checker = context.checker
        let scratch = workspace.scratch(for: .student)
        defer { context.restoreDefaultPlan() }
        if case .failed(let output) = try workspace.build(.student) {
            say(output)
            throw ExitCode(1)
        }
        let result = try workspace.runSuite(
            exercise.suite, scratch: scratch, limits: checker.limits, patience: checker.patience)
        say(result.output)
        say(
            "(\(workspace.testCommand(suite: exercise.suite, scratch: scratch).joined(separator: " ")): \(result.ending))"
        )
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
        } else if let next = context.checker.known().progress.next {
            // The next one as the last check left it (or as the files say): no test runs for a hint.
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
        guard try context.check(exercise).state == .done else {
            say(
                "Make \(name) pass first: the solution is shown once your own works. (`swift run kata hint \(name)`)"
            )
            throw ExitCode(1)
        }
        let path = context.workspace.path(of: exercise, in: folder, copy: .solutions)
        say(try String(contentsOf: context.workspace.root.appendingPathComponent(path), encoding: .utf8))
    }
}
