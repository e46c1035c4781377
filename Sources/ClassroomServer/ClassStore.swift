import ClassroomWire
import Foundation
import GRDB

/// The class on disk: one SQLite file, written through GRDB in write-ahead-log mode.
///
/// Every write is one transaction, and the caller answers the student only after it returns: what
/// was acknowledged has been committed (and, with `synchronous = FULL`, synced), so a server
/// killed at any moment and started again on the same file shows every acknowledged report.
public final class ClassStore: Sendable {
    private let pool: DatabasePool

    /// Opens (or creates) the class at `path` and brings its tables up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // WAL (a DatabasePool's mode) syncs at checkpoints by default; FULL syncs the log at
            // every commit, so an acknowledged report survives a power cut, not just a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    // excerpt: migrations
    /// The schema, one migration per change; GRDB records which ones a file has had.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: students, tokens, exercises, settings") { db in
            try db.create(table: "student") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("joinedAt", .datetime).notNull()
                t.column("sequence", .integer).notNull().defaults(to: -1)
                t.column("lastReportAt", .datetime)
            }
            // Only a token's SHA-256 is kept: the file alone lets nobody write as a student.
            try db.create(table: "token") { t in
                t.primaryKey("hash", .text)
                t.belongsTo("student", onDelete: .cascade).notNull()
            }
            try db.create(table: "exercise") { t in
                t.belongsTo("student", onDelete: .cascade).notNull()
                t.column("name", .text).notNull()
                t.column("state", .text).notNull()
                t.column("message", .text)
                t.column("changedAt", .datetime).notNull()
                t.primaryKey(["studentId", "name"])
            }
            try db.create(table: "setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        return migrator
    }
    // end excerpt

    /// The value of setting `key`, made by `make` and stored the first time it is asked for (the
    /// join code and the teacher's token stay the same across restarts).
    public func setting(_ key: String, orMake make: @escaping @Sendable () -> String) throws -> String {
        try pool.write { db in
            if let value = try String.fetchOne(
                db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
            {
                return value
            }
            let value = make()
            try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?)", arguments: [key, value])
            return value
        }
    }

    /// Adds student `name` (or finds them, if they joined before) with a new token's hash; returns
    /// their id.
    public func join(name: String, tokenHash: String, at date: Date) async throws -> Int64 {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO student (name, joinedAt) VALUES (?, ?) ON CONFLICT(name) DO NOTHING",
                arguments: [name, date])
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM student WHERE name = ?", arguments: [name])!
            try db.execute(
                sql: "INSERT INTO token (hash, studentId) VALUES (?, ?)", arguments: [tokenHash, id])
            return id
        }
    }

    /// One report to store: whose, and when it arrived.
    public struct Arrival: Sendable {
        /// The report.
        public var report: BoardReport
        /// The student its token belongs to.
        public var student: Int64
        /// When the server received it.
        public var at: Date

        /// An arrival.
        public init(report: BoardReport, student: Int64, at: Date) {
            self.report = report
            self.student = student
            self.at = at
        }
    }

    // excerpt: record
    /// Stores each report as its student's board, in one transaction, unless its sequence is not
    /// above the one stored: a resent or late report is acknowledged and ignored. Returns, once
    /// the transaction has committed, one acknowledgement per report.
    public func record(_ arrivals: [Arrival]) async throws -> [ReportAck] {
        try await pool.write { db in
            // Prepared once per connection, not parsed again for each of a report's lines.
            let sequence = try db.cachedStatement(sql: "SELECT sequence FROM student WHERE id = ?")
            let update = try db.cachedStatement(
                sql: "UPDATE student SET sequence = ?, lastReportAt = ? WHERE id = ?")
            let clear = try db.cachedStatement(sql: "DELETE FROM exercise WHERE studentId = ?")
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO exercise (studentId, name, state, message, changedAt)
                    VALUES (?, ?, ?, ?, ?)
                    """)
            return try arrivals.map { arrival in
                let (report, id) = (arrival.report, arrival.student)
                let stored = try Int.fetchOne(sequence, arguments: [id]) ?? -1
                guard report.sequence > stored else { return ReportAck(sequence: stored, stored: false) }
                try update.execute(arguments: [report.sequence, arrival.at, id])
                try clear.execute(arguments: [id])
                for line in report.exercises {
                    try insert.execute(
                        arguments: [id, line.exercise, line.state.rawValue, line.message, line.changedAt])
                }
                return ReportAck(sequence: report.sequence, stored: true)
            }
        }
    }
    // end excerpt

    /// Everything the server keeps in memory, as the file holds it.
    public func load() throws -> StoredClass {
        try pool.read { db in
            var students: [StoredClass.Student] = []
            var index: [Int64: Int] = [:]
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, name, sequence, lastReportAt FROM student ORDER BY id")
            for row in rows {
                index[row["id"]] = students.count
                students.append(
                    StoredClass.Student(
                        id: row["id"], sequence: row["sequence"],
                        row: StudentRow(name: row["name"], lastReportAt: row["lastReportAt"], exercises: [])))
            }
            let lines = try Row.fetchAll(
                db, sql: "SELECT studentId, name, state, message, changedAt FROM exercise ORDER BY rowid")
            for line in lines {
                guard let at = index[line["studentId"]] else { continue }
                students[at].row.exercises.append(
                    ExerciseReport(
                        exercise: line["name"], state: ExerciseState(rawValue: line["state"]) ?? .notStarted,
                        message: line["message"], changedAt: line["changedAt"]))
            }
            let tokens = try Row.fetchAll(db, sql: "SELECT hash, studentId FROM token")
            return StoredClass(
                students: students,
                tokens: Dictionary(tokens.map { ($0["hash"], $0["studentId"]) }) { first, _ in first })
        }
    }
}

/// The class as read from the file at start.
public struct StoredClass: Sendable {
    /// A student, their highest stored sequence and their row.
    public struct Student: Sendable {
        /// The student's row id.
        public var id: Int64
        /// The highest sequence stored.
        public var sequence: Int
        /// Their row on the board.
        public var row: StudentRow
    }

    /// The students in the order they joined.
    public var students: [Student]
    /// Token hash → student id.
    public var tokens: [String: Int64]
}
