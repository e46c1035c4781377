import ClassroomWire
import Foundation

/// One exercise as a check left it, before it goes into a report.
public struct ObservedExercise: Sendable, Equatable {
    /// The exercise's name in `kata.json`.
    public var exercise: String
    /// Its state; nil when this check could not tell (the run was stopped, or another file does
    /// not compile), and the state last reported stands.
    public var state: ExerciseState?
    /// What its tests said, when failing.
    public var message: String?

    /// Creates an observation.
    public init(exercise: String, state: ExerciseState?, message: String? = nil) {
        self.exercise = exercise
        self.state = state
        self.message = message
    }
}

/// Each exercise's last reported state and when it changed on this machine: a report's
/// `changedAt` is the time the state last changed, not the time of the check.
public struct ExerciseHistory: Codable, Sendable, Equatable {
    struct Entry: Codable, Sendable, Equatable {
        var state: ExerciseState
        var message: String?
        var changedAt: Date
    }

    private var entries: [String: Entry] = [:]

    /// The longest failing message a report carries, in characters (the rest is cut).
    public static let maxMessageCharacters = 500

    /// A history of nothing yet.
    public init() {}

    /// Records a check made at `now` and returns its lines for a report, in the same order. An
    /// exercise whose state differs from the last one recorded (or that is new) changed at `now`;
    /// one the check could not tell keeps its last line, and is left out if it never had one.
    public mutating func record(_ observed: [ObservedExercise], at now: Date) -> [ExerciseReport] {
        observed.compactMap { seen in
            guard let state = seen.state else {
                return entries[seen.exercise].map { report(seen.exercise, $0) }
            }
            let message =
                state == .failing ? seen.message.map { String($0.prefix(Self.maxMessageCharacters)) } : nil
            var entry = entries[seen.exercise] ?? Entry(state: state, changedAt: now)
            if entry.state != state { entry = Entry(state: state, changedAt: now) }
            entry.message = message
            entries[seen.exercise] = entry
            return report(seen.exercise, entry)
        }
    }

    private func report(_ exercise: String, _ entry: Entry) -> ExerciseReport {
        ExerciseReport(
            exercise: exercise, state: entry.state, message: entry.message, changedAt: entry.changedAt)
    }
}
