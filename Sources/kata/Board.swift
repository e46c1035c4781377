import ArgumentParser
import Foundation
import KataRunner
import Synchronization

struct Board: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The board, then the next exercise's test results.")

    func run() throws {
        let context = try Context()
        let screen = Screen(context: context, redraws: false)
        _ = try screen.check(cancellation: nil)
    }
}

/// Shows a check as it goes: the exercise being worked on as soon as its verdict is known, then
/// the whole board. In `kata watch` on a terminal each drawing replaces the last.
struct Screen: Sendable {
    let context: Context
    /// Whether each drawing clears the screen first (a terminal in `kata watch`).
    let redraws: Bool

    /// Checks the student's files and draws the result; a cancelled check draws nothing more.
    func check(cancellation: Cancellation?, footer: String = "") throws -> KataProgress {
        context.announceFirstBuild()
        let checker = context.checker
        let known = checker.known().progress
        // In place, the board as it stands comes first, while the build runs.
        if redraws { draw(known, footer: "Checking your changes…") }
        let partial = Mutex(known)
        let first = Mutex(true)
        let progress = try checker.check(cancellation: cancellation) { entry in
            let current = partial.withLock { progress in
                if let index = progress.entries.firstIndex(where: { $0.exercise == entry.exercise }) {
                    progress.entries[index].state = entry.state
                }
                return progress
            }
            // The exercise just checked first is the one being worked on: show it now, and the
            // rest of the board when every suite has answered.
            let isFirst = first.withLock { isFirst in
                defer { isFirst = false }
                return isFirst
            }
            guard isFirst else { return }
            guard current.entries.contains(where: { $0.state == .unknown }) else { return }
            if redraws {
                draw(current, footer: "Checking the other exercises…")
            } else {
                let verdict = KataRunner.Board.verdict(entry.state, of: entry.exercise.name)
                say(
                    (["\(entry.exercise.name):"] + verdict.map { "  " + $0 } + [
                        "Checking the other exercises…", "",
                    ])
                    .joined(separator: "\n"))
            }
        }
        if cancellation?.isCancelled != true {
            draw(progress, footer: footer)
            context.reportToClassroom(progress)
            context.restoreDefaultPlan()
        }
        return progress
    }

    func draw(_ progress: KataProgress, footer: String) {
        let clear = redraws ? "\u{1B}[H\u{1B}[2J" : ""
        say(
            clear + KataRunner.Board.render(progress, manifest: context.manifest) + "\n"
                + KataRunner.Board.nextSteps(progress, workspace: context.workspace)
                + (footer.isEmpty ? "" : "\n\n" + footer))
    }
}
