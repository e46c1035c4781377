import ClassroomStudent
import ClassroomWire
import Foundation

extension KataProgress {
    /// The board as the teacher's classroom sees it: each exercise's state and, when it fails, the
    /// first thing its tests (or the compiler, or the runtime) said. Never code: nothing here reads
    /// the student's files, and paths are made relative to the workspace (no home folder).
    public func observations(workspaceRoot: URL) -> [ObservedExercise] {
        let root = workspaceRoot.standardizedFileURL.path + "/"
        return entries.map { _, exercise, state in
            let (reported, message) = Self.classroomState(state)
            return ObservedExercise(
                exercise: exercise.name, state: reported,
                message: message?.replacingOccurrences(of: root, with: ""))
        }
    }

    /// A state in the classroom's three words, with its first message; nil when not known.
    private static func classroomState(_ state: State) -> (ExerciseState?, String?) {
        switch state {
        case .done: (.done, nil)
        case .notStarted: (.notStarted, nil)
        case .unknown: (nil, nil)
        case .failing(let messages): (.failing, messages.first)
        case .failedWithoutMessage:
            (.failing, "Its tests failed, but no message could be read from their output.")
        case .crashed(let test, let lines):
            (
                .failing,
                "It crashed" + (test.map { " while running \($0)" } ?? "")
                    + (lines.first.map { ": \($0)" } ?? "")
            )
        case .stuck(let test, let why): (.failing, "\(test.map { "Its test \($0)" } ?? "Its tests") \(why)")
        case .doesNotCompile(let errors):
            (.failing, "It does not compile" + (errors.first.map { ": \($0)" } ?? "."))
        }
    }
}
