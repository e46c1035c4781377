import ClassroomWire
import Foundation

/// The reports waiting to go, one JSON file each in `.kata-classroom/outbox/`, named after their
/// sequence. Each report is the student's whole board, so only the newest needs sending: posting
/// a report removes the older ones still waiting, and an acknowledgement removes every report it
/// covers. `kata` posts; the sender (`kata-report send`) reads, sends and acknowledges.
public struct Outbox: Sendable {
    let classroom: ClassroomFolder

    private var folder: URL { classroom.url.appendingPathComponent("outbox") }
    /// The history of states and the last sequence given out, kept beside the outbox.
    private var bookFile: URL { classroom.url.appendingPathComponent("history.json") }
    private var lockFile: URL { classroom.url.appendingPathComponent("outbox.lock") }

    private struct Book: Codable {
        var lastSequence = 0
        var history = ExerciseHistory()
    }

    /// Makes the report of a check made at `now`, numbers it and leaves it to be sent.
    ///
    /// Sequences count up from the clock's milliseconds, and past the last one given out: a
    /// workspace that lost this folder (or a second clone) still counts past what the server has
    /// stored for the student, and a clock set back never makes a sequence go down. Two `kata`s
    /// posting at once take turns (a lock), so no sequence is given out twice.
    @discardableResult
    public func post(_ observed: [ObservedExercise], at now: Date = Date()) throws -> BoardReport {
        try classroom.prepare()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard let lock = FileLock(lockFile, waiting: true) else {
            throw ClassroomProblem("cannot lock \(lockFile.path)")
        }
        defer { withExtendedLifetime(lock) {} }
        var book =
            (try? Data(contentsOf: bookFile)).flatMap {
                try? ClassroomJSON.decoder().decode(Book.self, from: $0)
            }
            ?? Book()
        let exercises = book.history.record(observed, at: now)
        book.lastSequence = max(book.lastSequence + 1, Int(now.timeIntervalSince1970 * 1000))
        let report = BoardReport(sequence: book.lastSequence, sentAt: now, exercises: exercises)
        try classroom.write(try ClassroomJSON.encoder().encode(report), to: file(of: report.sequence))
        try classroom.write(try ClassroomJSON.encoder().encode(book), to: bookFile)
        for older in waiting() where older < report.sequence { remove(older) }
        return report
    }

    /// The sequences of the reports waiting, oldest first.
    public func waiting() -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix("report-"), name.hasSuffix(".json") else { return nil }
            return Int(name.dropFirst("report-".count).dropLast(".json".count))
        }.sorted()
    }

    /// The newest report waiting, if any (an unreadable file is removed: it could never be sent).
    public func newest() -> BoardReport? {
        guard let sequence = waiting().last else { return nil }
        guard let data = try? Data(contentsOf: file(of: sequence)),
            let report = try? ClassroomJSON.decoder().decode(BoardReport.self, from: data)
        else {
            remove(sequence)
            return newest()
        }
        return report
    }

    /// The server has stored everything up to `ack.sequence`: those reports are done.
    public func acknowledge(_ ack: ReportAck) {
        for sequence in waiting() where sequence <= ack.sequence { remove(sequence) }
    }

    /// Removes one report (sent, or refused for good).
    public func remove(_ sequence: Int) {
        try? FileManager.default.removeItem(at: file(of: sequence))
    }

    private func file(of sequence: Int) -> URL {
        folder.appendingPathComponent("report-\(sequence).json")
    }
}
