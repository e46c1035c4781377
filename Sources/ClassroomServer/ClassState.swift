import ClassroomWire
import Foundation
import NodeNet

/// The class as the server holds it between reports: loaded from the store at start, and
/// updated only after the store has committed, so it never shows what the file does not hold.
@NodeActor final class ClassState {
    /// The exercises in the manifest's order: the board's columns, and the names a report may use.
    let exercises: [String]
    private let known: Set<String>
    private var students: [StoredClass.Student]
    private var index: [Int64: Int] = [:]
    private var tokens: [String: Int64]
    /// Each student's row as JSON, made when the row changes: the whole board is sent several
    /// times a second to the teacher's page, and encoding 200 × 36 cells each time was most of
    /// the server's work.
    private var rowJSON: [String] = []
    private let exercisesJSON: String

    init(exercises: [String], stored: StoredClass) {
        self.exercises = exercises
        known = Set(exercises)
        students = stored.students
        tokens = stored.tokens
        exercisesJSON = Self.json(exercises)
        for (at, student) in students.enumerated() { index[student.id] = at }
        rowJSON = students.map { Self.json($0.row) }
    }

    /// The whole board, columns and rows.
    var board: ClassBoard { ClassBoard(exercises: exercises, students: students.map(\.row)) }

    /// The board as ``ClassroomJSON`` writes it (its keys sorted: `exercises`, then `students`),
    /// put together from the rows' JSON.
    var boardJSON: String {
        #"{"exercises":"# + exercisesJSON + #","students":["# + rowJSON.joined(separator: ",") + "]}"
    }

    /// Whether one more student fits in a class of at most `limit`, or `name` is already in it.
    func admits(_ name: String, limit: Int) -> Bool {
        students.count < limit || students.contains { $0.row.name == name }
    }

    /// Whether `name` is one of the manifest's exercises.
    func isKnown(_ name: String) -> Bool { known.contains(name) }

    /// The student a token belongs to.
    func student(withToken token: String) -> Int64? { tokens[ClassState.hash(token)] }

    /// A join the store has committed.
    func joined(id: Int64, name: String, tokenHash: String) {
        tokens[tokenHash] = id
        guard index[id] == nil else { return }
        index[id] = students.count
        let row = StudentRow(name: name, lastReportAt: nil, exercises: [])
        students.append(.init(id: id, sequence: -1, row: row))
        rowJSON.append(Self.json(row))
    }

    /// A report the store has committed. Two reports of one student may finish their
    /// transactions in one order and reach here in the other: the higher sequence wins.
    func recorded(_ report: BoardReport, student id: Int64, at date: Date) {
        guard let at = index[id], report.sequence > students[at].sequence else { return }
        students[at].sequence = report.sequence
        students[at].row.lastReportAt = date
        students[at].row.exercises = report.exercises
        rowJSON[at] = Self.json(students[at].row)
    }

    private static func json(_ value: some Encodable) -> String {
        // Strings, numbers and dates always encode.
        String(decoding: (try? ClassroomJSON.encoder().encode(value)) ?? Data(), as: UTF8.self)
    }

    /// What is kept of a token: its SHA-256, in hex.
    nonisolated static func hash(_ token: String) -> String {
        guard let hash = try? crypto.createHash("sha256") else { fatalError("OpenSSL has no SHA-256") }
        return hash.update(token).digest(.hex)
    }
}
