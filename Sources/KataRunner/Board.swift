/// The progress board `swift run kata` prints.
public enum Board {
    /// The board: a progress bar, then each chapter's exercises marked done (✔), next (▶) or to do (·).
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
                lines.append("  \(mark) \(name) \(entry.exercise.section)  \(entry.exercise.practises)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// What to do next: the file to edit, what its tests said, and where the hint is.
    public static func nextSteps(_ progress: KataProgress, workspace: Workspace) -> String {
        guard let next = progress.next else {
            return
                "\nEvery exercise passes. Well done! `swift run kata solution <name>` shows a reference solution."
        }
        let file = workspace.path(of: next.exercise, in: next.folder, copy: .student)
        var lines = ["", "Next: \(next.exercise.name) (\(next.exercise.section)). Edit \(file)."]
        switch next.state {
        case .doesNotCompile(let errors):
            lines.append("It does not compile yet:")
            lines += errors.prefix(10).map { "  " + $0 }
        case .failing(let messages):
            lines.append("Its tests say:")
            lines += messages.prefix(3).map { "  ✘ " + $0 }
        case .unknown:
            lines.append("Its tests did not run: another file does not compile, or the run stopped early.")
        case .done:
            break
        }
        lines.append("Stuck? swift run kata hint \(next.exercise.name)")
        return lines.joined(separator: "\n")
    }
}
