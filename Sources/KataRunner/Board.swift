/// The progress board `swift run kata` prints.
public enum Board {
    /// The board: a progress bar, then each chapter's exercises marked done (✔), next (▶) or to do
    /// (·), with a note where a test crashed, hung or did not compile.
    public static func render(_ progress: KataProgress, manifest: KataManifest) -> String {
        let total = progress.entries.count
        let done = progress.doneCount
        let width = 30
        let filled = total == 0 ? 0 : done * width / total
        var lines = [
            "Kata: \(done) of \(total) done  [" + String(repeating: "█", count: filled)
                + String(repeating: "░", count: width - filled) + "]"
        ]
        let next = progress.next?.exercise
        for chapter in manifest.chapters {
            lines.append("")
            lines.append(chapter.title)
            for entry in progress.entries where entry.folder == chapter.folder {
                let mark =
                    entry.state == .done ? "✔" : entry.exercise == next ? "▶" : "·"
                let name = entry.exercise.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                let note = note(entry.state).map { "  (\($0))" } ?? ""
                lines.append(
                    "  \(mark) \(name) \(entry.exercise.section)  \(entry.exercise.practises)\(note)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func note(_ state: KataProgress.State) -> String? {
        switch state {
        case .crashed: "crashed"
        case .stuck: "did not finish"
        case .doesNotCompile: "does not compile"
        default: nil
        }
    }

    /// What to do next: the file to edit, what its tests said, and where the hint is.
    public static func nextSteps(_ progress: KataProgress, workspace: Workspace) -> String {
        guard let next = progress.next else {
            return
                "\nEvery exercise passes. Well done! `swift run kata solution <name>` shows a reference solution."
        }
        let file = workspace.path(of: next.exercise, in: next.folder, copy: .student)
        let lines =
            ["", "Next: \(next.exercise.name) (\(next.exercise.section)). Edit \(file)."]
            + verdict(next.state, of: next.exercise.name, compilerOutput: progress.compilerOutput)
            + ["Stuck? swift run kata hint \(next.exercise.name)"]
        return lines.joined(separator: "\n")
    }

    /// What one exercise's state means, in the student's terms, a line each.
    public static func verdict(_ state: KataProgress.State, of name: String, compilerOutput: String? = nil)
        -> [String]
    {
        switch state {
        case .done:
            return ["✔ \(name) passes."]
        case .notStarted:
            return ["Not started yet: the file is still as it came. Read its comment, write your code, save."]
        case .failing(let messages):
            return ["Its tests say:"] + messages.prefix(3).map { "  ✘ " + $0 }
        case .failedWithoutMessage:
            return [
                "Its tests failed, but no message could be read from their output.",
                "Their raw output: swift run kata run \(name) --raw",
            ]
        case .crashed(let test, let crash):
            return [
                "It crashed\(test.map { " while running \($0)" } ?? ""): the test process stopped at a runtime error in your code."
            ]
                + (crash.isEmpty
                    ? ["(no runtime message was printed; swift run kata run \(name) --raw shows all)"] : [])
                + crash.prefix(4).map { "  " + $0 }
                + ["Look for an index out of range, a `!` on nil, or arithmetic that overflows."]
        case .stuck(let test, let why):
            return ["\(test.map { "Its test \($0)" } ?? "Its tests") \(why)"]
        case .doesNotCompile(let errors):
            return ["It does not compile yet:"] + errors.prefix(10).map { "  " + $0 }
                + (errors.contains(where: isCollision) ? [sharedModuleNote] : [])
        case .unknown:
            guard let output = compilerOutput else {
                return [
                    "No result came back from its tests (the run was stopped, or its suite did not run).",
                    "Their raw output: swift run kata run \(name) --raw",
                ]
            }
            let errors = compilerErrors(in: output).map(\.line)
            return ["Its tests did not run: the exercises do not compile:"]
                + (errors.isEmpty ? Array(lines(of: output).suffix(10)) : Array(errors.prefix(10))).map {
                    "  " + $0
                }
                + (errors.contains(where: isCollision) ? [sharedModuleNote] : [])
        }
    }

    /// Every exercise file is compiled into one module, so their top-level names must differ.
    public static let sharedModuleNote =
        "All exercise files are compiled into one module, so two top-level names that are the same collide (\"invalid redeclaration\", \"ambiguous\"): rename your helper, or make it `private` to its file."

    private static func isCollision(_ error: String) -> Bool {
        error.contains("invalid redeclaration") || error.contains("ambiguous")
    }
}
