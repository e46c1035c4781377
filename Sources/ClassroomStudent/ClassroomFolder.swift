import ClassroomWire
import Foundation

/// `.kata-classroom/` in the student's workspace (ignored by git): the enrolment `kata join` made,
/// the class CA, the reports waiting to go, and what the background sender has to tell the student.
/// A workspace without the folder's enrolment has not joined, and `kata` sends nothing.
public struct ClassroomFolder: Sendable {
    /// The folder.
    public let url: URL

    /// The folder of the workspace at `workspaceRoot`.
    public init(workspaceRoot: URL) {
        url = workspaceRoot.appendingPathComponent(".kata-classroom")
    }

    var enrolmentFile: URL { url.appendingPathComponent("enrolment.json") }
    var caFile: URL { url.appendingPathComponent("ca.pem") }
    var noticeFile: URL { url.appendingPathComponent("notice.txt") }
    var refusedFile: URL { url.appendingPathComponent("token-refused") }
    /// Held by the one sender at work.
    public var sendLock: URL { url.appendingPathComponent("send.lock") }
    /// Where the background sender writes what it did.
    public var senderLog: URL { url.appendingPathComponent("sender.log") }
    /// The reports waiting to go.
    public var outbox: Outbox { Outbox(classroom: self) }

    /// The stored enrolment and the class CA's PEM; nil when the workspace has not joined.
    public func enrolment() -> (enrolment: Enrolment, caPEM: String)? {
        guard let data = try? Data(contentsOf: enrolmentFile),
            let enrolment = try? ClassroomJSON.decoder().decode(Enrolment.self, from: data),
            let pem = try? String(contentsOf: caFile, encoding: .utf8)
        else { return nil }
        return (enrolment, pem)
    }

    /// Stores a new enrolment and its CA, readable by the student alone (the token is a secret),
    /// and forgets that an earlier token was refused.
    public func save(_ enrolment: Enrolment, caPEM: String) throws {
        try prepare()
        try write(Data(caPEM.utf8), to: caFile)
        try write(try ClassroomJSON.encoder().encode(enrolment), to: enrolmentFile)
        try? FileManager.default.removeItem(at: refusedFile)
    }

    /// Whether the server said the token is no longer valid (the student must join again).
    public var tokenRefused: Bool { FileManager.default.fileExists(atPath: refusedFile.path) }

    /// Records that the server refused the token, and tells the student once.
    public func refuseToken(_ serverSaid: String) {
        try? write(Data(serverSaid.utf8), to: refusedFile)
        leaveNotice(
            "The classroom server no longer accepts your token (it said: \(serverSaid)). Your board is"
                + " not sent until you join again: swift run kata join ADDRESS --name NAME --code CODE")
    }

    /// Leaves `text` for the student's next `kata` run (the sender runs unseen).
    public func leaveNotice(_ text: String) {
        try? write(Data((text + "\n").utf8), to: noticeFile)
    }

    /// What the sender left for the student, said once: it is removed as it is read.
    public func takeNotice() -> String? {
        guard let data = try? Data(contentsOf: noticeFile) else { return nil }
        try? FileManager.default.removeItem(at: noticeFile)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates the folder, private to the student.
    func prepare() throws {
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Writes `data` whole (a reader never sees half a file), readable by the student alone.
    func write(_ data: Data, to file: URL) throws {
        try prepare()
        try data.write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }
}
