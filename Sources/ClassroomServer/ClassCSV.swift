import ClassroomWire
import Foundation

/// The class as CSV for grading: one line per student and exercise, every exercise of the
/// manifest (one never reported is `not-started`).
public enum ClassCSV {
    /// The CSV text of `board` (RFC 4180: CRLF line ends, fields quoted where needed).
    public static func text(of board: ClassBoard) -> String {
        var lines = [["student", "exercise", "state", "changed_at", "message", "last_report_at"]]
        for student in board.students {
            let reported = Dictionary(student.exercises.map { ($0.exercise, $0) }) { _, last in last }
            for exercise in board.exercises {
                let line = reported[exercise]
                lines.append([
                    student.name, exercise, (line?.state ?? .notStarted).rawValue,
                    line.map { iso($0.changedAt) } ?? "", line?.message ?? "",
                    student.lastReportAt.map(iso) ?? "",
                ])
            }
        }
        return lines.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    private static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    /// A field as a spreadsheet may safely open it: quoted when it holds a comma, quote or line
    /// end, and with a `'` before a leading `=`, `+`, `-` or `@`, which a spreadsheet would run
    /// as a formula (a student's name or message is theirs to choose).
    static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { ",\"\r\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
