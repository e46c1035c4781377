import Foundation

/// A student's first request: their name and the class's join code (read out by the teacher).
public struct JoinRequest: Codable, Sendable, Equatable {
    /// The name the teacher sees on the board (1–64 characters).
    public var name: String
    /// The class's join code, printed when the teacher's server starts.
    public var code: String

    /// Creates a join request.
    public init(name: String, code: String) {
        self.name = name
        self.code = code
    }
}

/// The answer to a join: the token that lets this student write their own row, and only it.
public struct JoinResponse: Codable, Sendable, Equatable {
    /// The name as stored (a second join with the same name gets a new token for the same row).
    public var name: String
    /// The student's secret; sent as `Authorization: Bearer <token>` with every report.
    public var token: String

    /// Creates a join response.
    public init(name: String, token: String) {
        self.name = name
        self.token = token
    }
}

/// Where a student is with one exercise, as `kata` shows it on their own board.
public enum ExerciseState: String, Codable, Sendable, CaseIterable {
    /// The tests pass.
    case done
    /// The tests fail (or the file does not compile, or it crashed).
    case failing
    /// The file is still its stub.
    case notStarted = "not-started"
}

/// One exercise's line in a report: never code, only names, states, a message and a time.
public struct ExerciseReport: Codable, Sendable, Equatable {
    /// The exercise's name in `Exercises/kata.json` (an unknown name is answered `404`).
    public var exercise: String
    /// Its state.
    public var state: ExerciseState
    /// The first failing test's message, when ``state`` is ``ExerciseState/failing`` (at most 500 characters are kept).
    public var message: String?
    /// When the state last changed on the student's machine.
    public var changedAt: Date

    /// Creates an exercise report.
    public init(exercise: String, state: ExerciseState, message: String? = nil, changedAt: Date) {
        self.exercise = exercise
        self.state = state
        self.message = message
        self.changedAt = changedAt
    }
}

/// A student's whole board, sent after every `kata` run (and resent until acknowledged).
public struct BoardReport: Codable, Sendable, Equatable {
    /// Counts up on the student's machine with every report; the server keeps the highest it has
    /// acknowledged and ignores an older one that arrives late, so a resend is harmless.
    public var sequence: Int
    /// When the student's `kata` made the report.
    public var sentAt: Date
    /// Every exercise the student's board shows.
    public var exercises: [ExerciseReport]

    /// Creates a board report.
    public init(sequence: Int, sentAt: Date, exercises: [ExerciseReport]) {
        self.sequence = sequence
        self.sentAt = sentAt
        self.exercises = exercises
    }
}

/// The server's answer to a report, sent only after the report is on disk.
public struct ReportAck: Codable, Sendable, Equatable {
    /// The highest sequence stored for this student (the report's own, unless it was stale).
    public var sequence: Int
    /// Whether this report was stored (`false`: an older or repeated sequence, ignored).
    public var stored: Bool

    /// Creates an acknowledgement.
    public init(sequence: Int, stored: Bool) {
        self.sequence = sequence
        self.stored = stored
    }
}

/// The body of every error answer (`400`, `401`, `404`, `413`…).
public struct ErrorBody: Codable, Sendable, Equatable {
    /// A stable name for the problem: `bad-json`, `bad-name`, `bad-code`, `no-token`, `bad-token`,
    /// `unknown-exercise`, `too-large`, `not-found`, `method-not-allowed`, `class-full`,
    /// `too-many-attempts` (a `429`: wait as `Retry-After` says), `upgrade-required`, `store-failed`
    /// (a `500`: the report was not stored; send it again).
    public var error: String
    /// What was wrong, in words, naming the field or exercise.
    public var message: String

    /// Creates an error body.
    public init(error: String, message: String) {
        self.error = error
        self.message = message
    }
}

/// The teacher's view: every student's row.
public struct ClassBoard: Codable, Sendable, Equatable {
    /// The exercises in the manifest's order (the board's columns).
    public var exercises: [String]
    /// One row per student, in the order they joined.
    public var students: [StudentRow]

    /// Creates a class board.
    public init(exercises: [String], students: [StudentRow]) {
        self.exercises = exercises
        self.students = students
    }
}

/// One student on the teacher's board.
public struct StudentRow: Codable, Sendable, Equatable {
    /// The student's name.
    public var name: String
    /// When their last report arrived (nil: joined, never reported).
    public var lastReportAt: Date?
    /// Their exercises, as last reported.
    public var exercises: [ExerciseReport]

    /// Creates a student row.
    public init(name: String, lastReportAt: Date?, exercises: [ExerciseReport]) {
        self.name = name
        self.lastReportAt = lastReportAt
        self.exercises = exercises
    }
}

/// The JSON both sides speak: ISO 8601 dates, sorted keys (so a report reads the same twice).
public enum ClassroomJSON {
    /// An encoder for every classroom message.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// A decoder for every classroom message.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
