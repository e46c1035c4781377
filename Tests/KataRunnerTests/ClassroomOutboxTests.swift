import ClassroomStudent
import ClassroomWire
import Foundation
import KataRunner
import Synchronization
import Testing

/// What `kata` leaves for the classroom, without a network: the report a board makes, when each
/// state changed, the outbox's numbering, and what a student's address and fingerprint may be.
@Suite(.timeLimit(.minutes(1)))
struct ClassroomOutboxTests {
    let manifest = try! KataManifest.load(from: Fixtures.workspace.root)

    private func classroom() -> ClassroomFolder {
        ClassroomFolder(
            workspaceRoot: FileManager.default.temporaryDirectory.appendingPathComponent(
                "classroom-\(UUID().uuidString)"))
    }

    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aReportHoldsEachStateAndTheFirstThingItsTestsSaid() {
        let root = URL(fileURLWithPath: "/home/ada/workspace")
        let states: [KataProgress.State] = [
            .done, .notStarted, .failing(["expected 2 lines", "expected the rest"]), .unknown,
            .doesNotCompile(["/home/ada/workspace/Exercises/01-tcp/X.swift:3:1: error: cannot find 'y'"]),
            .crashed(test: "splits", lines: ["Fatal error: Index out of range"]),
            .stuck(test: "waits", why: "did not finish"), .failedWithoutMessage,
        ]
        let entries = zip(manifest.all, states).map { ($0.0.folder, $0.0.exercise, $0.1) }
        let seen = KataProgress(entries: entries).observations(workspaceRoot: root)
        #expect(seen.map(\.exercise) == manifest.all.prefix(states.count).map(\.exercise.name))
        #expect(
            seen.map(\.state) == [.done, .notStarted, .failing, nil, .failing, .failing, .failing, .failing])
        #expect(seen[0].message == nil && seen[1].message == nil)
        #expect(seen[2].message == "expected 2 lines")
        // No home folder: paths are the workspace's own.
        #expect(
            seen[4].message == "It does not compile: Exercises/01-tcp/X.swift:3:1: error: cannot find 'y'")
        #expect(seen[5].message == "It crashed while running splits: Fatal error: Index out of range")
        #expect(seen[6].message == "Its test waits did not finish")
        #expect(seen[7].message?.contains("no message could be read") == true)
    }

    @Test func aReportNeverCarriesCode() throws {
        let workspace = try Fixtures.scratchWorkspace(manifest)
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let (folder, exercise) = manifest.all[0]
        let file = workspace.root.appendingPathComponent(
            workspace.path(of: exercise, in: folder, copy: .student))
        try Data("let secretMarker = 42  // the student's own code\n".utf8).write(to: file)
        let reporting = ClassroomReporting(workspace: workspace)
        try reporting.classroom.save(
            Enrolment(address: "https://127.0.0.1:1", name: "Ada", token: "t", caFingerprint: "F"),
            caPEM: "PEM")
        var progress = Checker(workspace: workspace, manifest: manifest).known().progress
        progress.entries[0].state = .doesNotCompile(["\(file.path):1:5: error: expected pattern"])
        #expect(reporting.report(progress).isEmpty)
        let report = try #require(reporting.classroom.outbox.newest())
        let json = String(decoding: try ClassroomJSON.encoder().encode(report), as: UTF8.self)
        #expect(!json.contains("secretMarker") && !json.contains(workspace.root.path))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["sequence", "sentAt", "exercises"])
        for line in try #require(object["exercises"] as? [[String: Any]]) {
            #expect(Set(line.keys).isSubset(of: ["exercise", "state", "message", "changedAt"]))
        }
        #expect(report.exercises.count == manifest.all.count)
    }

    @Test func aWorkspaceThatHasNotJoinedReportsNothing() throws {
        let workspace = Workspace(
            root: FileManager.default.temporaryDirectory.appendingPathComponent("kata-\(UUID().uuidString)"))
        let reporting = ClassroomReporting(workspace: workspace)
        #expect(reporting.report(KataProgress(entries: [])).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: reporting.classroom.url.path))
    }

    @Test func changedAtIsWhenTheStateLastChangedNotWhenItWasChecked() {
        var history = ExerciseHistory()
        let first = history.record(
            [
                ObservedExercise(exercise: "a", state: .failing, message: "one"),
                .init(exercise: "b", state: .notStarted),
            ],
            at: start)
        #expect(first.map(\.changedAt) == [start, start])
        // The same state with another message is no change; a new state is.
        let later = start.addingTimeInterval(60)
        let second = history.record(
            [
                ObservedExercise(exercise: "a", state: .failing, message: "two"),
                .init(exercise: "b", state: .done),
            ],
            at: later)
        #expect(second[0].changedAt == start && second[0].message == "two")
        #expect(second[1].changedAt == later && second[1].state == .done && second[1].message == nil)
        // A check that could not tell keeps the last report's line; one never told is left out.
        let third = history.record(
            [ObservedExercise(exercise: "a", state: nil), .init(exercise: "c", state: nil)],
            at: later.addingTimeInterval(60))
        #expect(third == [ExerciseReport(exercise: "a", state: .failing, message: "two", changedAt: start)])
    }

    @Test func aFailingMessageIsCutAt500Characters() {
        var history = ExerciseHistory()
        let long = String(repeating: "é", count: 2000)
        let report = history.record(
            [ObservedExercise(exercise: "a", state: .failing, message: long)], at: start)
        #expect(report[0].message?.count == ExerciseHistory.maxMessageCharacters)
        #expect(ExerciseHistory.maxMessageCharacters == 500)
    }

    @Test func sequencesCountUpEvenWhenTheClockGoesBackAndOnlyTheNewestWaits() throws {
        let outbox = classroom().outbox
        let seen = [ObservedExercise(exercise: "a", state: .done)]
        let first = try outbox.post(seen, at: start)
        let second = try outbox.post(seen, at: start.addingTimeInterval(-3600))
        let third = try outbox.post(seen, at: start)
        #expect(first.sequence == Int(start.timeIntervalSince1970 * 1000))
        #expect(second.sequence == first.sequence + 1 && third.sequence == second.sequence + 1)
        // Each report is the whole board: the older ones are superseded.
        #expect(outbox.waiting() == [third.sequence])
        #expect(outbox.newest() == third)
    }

    @Test func anAcknowledgementRemovesTheReportsItCovers() throws {
        let outbox = classroom().outbox
        let report = try outbox.post([ObservedExercise(exercise: "a", state: .done)], at: start)
        outbox.acknowledge(ReportAck(sequence: report.sequence - 1, stored: true))
        #expect(outbox.waiting() == [report.sequence])
        outbox.acknowledge(ReportAck(sequence: report.sequence, stored: true))
        #expect(outbox.waiting().isEmpty && outbox.newest() == nil)
    }

    @Test func twoKatasPostingAtOnceNeverShareASequence() throws {
        let outbox = classroom().outbox
        let sequences = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let report = try? outbox.post([ObservedExercise(exercise: "a", state: .done)], at: start)
            sequences.withLock { $0.append(report?.sequence ?? 0) }
        }
        let all = sequences.withLock { $0 }
        #expect(Set(all).count == 16 && !all.contains(0))
        #expect(outbox.waiting() == [all.max()!])
    }

    @Test func theEnrolmentIsTheStudentsAlone() throws {
        let folder = classroom()
        #expect(folder.enrolment() == nil)
        let enrolment = Enrolment(
            address: "https://127.0.0.1:8443", name: "Ada", token: "secret", caFingerprint: "AB")
        try folder.save(enrolment, caPEM: "PEM")
        #expect(folder.enrolment()?.enrolment == enrolment && folder.enrolment()?.caPEM == "PEM")
        let mode =
            try FileManager.default.attributesOfItem(
                atPath: folder.url.appendingPathComponent("enrolment.json").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aRefusedTokenIsToldOnceAndForgottenByANewJoin() throws {
        let folder = classroom()
        folder.refuseToken("unknown token")
        #expect(folder.tokenRefused)
        #expect(folder.takeNotice()?.contains("swift run kata join") == true)
        #expect(folder.takeNotice() == nil)
        try folder.save(
            Enrolment(address: "https://h:1", name: "A", token: "t", caFingerprint: "F"), caPEM: "P")
        #expect(!folder.tokenRefused)
    }

    @Test(arguments: [
        ("https://192.168.1.20:8443", "https://192.168.1.20:8443"),
        ("https://Teacher.local:8443/", "https://Teacher.local:8443"),
        ("https://[::1]:9000", "https://[::1]:9000"), ("https://class.example", "https://class.example:443"),
    ])
    func anAddressIsHostAndPort(text: String, reads: String) throws {
        #expect(try ClassroomAddress(parsing: text).description == reads)
    }

    @Test(arguments: [
        "http://192.168.1.20:8443", "192.168.1.20:8443", "https://", "https://h:8443/api",
        "https://h:8443?x=1",
        "https://h:99999", "https://u:p@h:1",
    ])
    func aBadAddressIsRefusedWithAnExample(text: String) {
        #expect {
            try ClassroomAddress(parsing: text)
        } throws: { error in
            "\(error)".contains("https://192.168.1.20:8443")
        }
    }

    @Test func aFingerprintReadsTheSameWithOrWithoutColonsInEitherCase() throws {
        let pairs = (0..<32).map { String(format: "%02X", $0 * 7 % 256) }
        let colons = try CAFingerprint(parsing: pairs.joined(separator: ":"))
        #expect(try CAFingerprint(parsing: pairs.joined().lowercased()) == colons)
        #expect(colons.description == pairs.joined(separator: ":"))
        #expect(throws: ClassroomProblem.self) { try CAFingerprint(parsing: "AB:CD") }
        #expect(throws: ClassroomProblem.self) {
            try CAFingerprint(parsing: String(repeating: "G", count: 64))
        }
    }
}
