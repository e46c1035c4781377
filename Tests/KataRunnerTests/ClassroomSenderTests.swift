import ClassroomStudent
import ClassroomWire
import Foundation
import KataRunner
import NodeNet
import TestSupport
import Testing

/// The reports `kata` sends after each check, over real sockets, from the built `kata` and its
/// background sender: the student's loop never waits, nothing is lost while the server is down,
/// and a refused token stops the sending and is said once.
// Two minutes: each test runs `kata` and its sender as processes, which a loaded machine slows.
@Suite(.timeLimit(.minutes(2)))
@NodeActor struct ClassroomSenderTests {
    let manifest = try! KataManifest.load(from: Fixtures.workspace.root)

    /// A classroom, and a student's workspace that joined it.
    private func joined() async throws -> (FakeClassroom, StudentWorkspace) {
        let classroom = FakeClassroom(certificates: try await TestCertificates.forTest())
        try await classroom.start()
        let student = try await StudentWorkspace.make(manifest)
        let run = try await student.join(classroom.address, fingerprint: classroom.fingerprint)
        try #require(run.ending == .exited(0), "\(run.output)")
        return (classroom, student)
    }

    @Test func aCheckSendsTheWholeBoardInTheBackground() async throws {
        let (classroom, student) = try await joined()
        defer { classroom.close() }
        defer { student.remove() }
        let run = try await student.kata()
        #expect(run.ending == .exited(0) && run.output.contains("Kata: 0 of \(manifest.all.count) done"))
        try await classroom.until("the board") { !classroom.stored.isEmpty }
        try await student.senderFinished()
        let report = try #require(classroom.stored.first)
        #expect(report.exercises.map(\.exercise) == manifest.all.map(\.exercise.name))
        #expect(report.exercises.allSatisfy { $0.state == .notStarted && $0.message == nil })
        #expect(student.classroom.outbox.waiting().isEmpty, "acknowledged, so removed")
    }

    @Test func reportsMadeWhileTheServerIsDownArriveWhenItIsBackNewestLast() async throws {
        let (classroom, student) = try await joined()
        defer { classroom.close() }
        defer { student.remove() }
        let port = classroom.port
        try await classroom.stop()
        // The sender retries quickly here; by default it pauses up to 10 s between tries.
        let quick = ["KATA_REPORT_MAX_PAUSE_MS": "200", "KATA_REPORT_RETRY_SECONDS": "40"]
        for _ in 0..<3 {
            let run = try await student.kata(environment: quick)
            #expect(run.ending == .exited(0), "the check does not wait for the server")
        }
        let newest = try #require(student.classroom.outbox.waiting().last)
        #expect(
            student.classroom.outbox.waiting() == [newest], "each report is the whole board: the newest waits"
        )
        try await classroom.start(port: port)
        try await classroom.until("the newest report") { classroom.stored.last?.sequence == newest }
        try await student.senderFinished()
        let sequences = classroom.stored.map(\.sequence)
        #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count)
        #expect(student.classroom.outbox.waiting().isEmpty)
        #expect(student.senderLog.contains("connection refused"))
    }

    @Test func aRefusedTokenIsToldOnceAndStopsTheSending() async throws {
        let (classroom, student) = try await joined()
        defer { classroom.close() }
        defer { student.remove() }
        classroom.forgetTokens()
        _ = try await student.kata()
        try await classroom.until("the refused report") { classroom.reportAttempts == 1 }
        try await student.senderFinished()
        #expect(student.classroom.tokenRefused)
        let told = try await student.kata()
        #expect(
            told.output.contains("no longer accepts your token")
                && told.output.contains("swift run kata join"))
        let again = try await student.kata()
        #expect(!again.output.contains("no longer accepts your token"), "said once")
        // Nothing is sent until the student joins again.
        let send = try await student.reporter("send")
        #expect(send.ending == .exited(0) && classroom.reportAttempts == 1)
        let rejoin = try await student.join(classroom.address, fingerprint: classroom.fingerprint)
        #expect(rejoin.ending == .exited(0) && !student.classroom.tokenRefused)
    }
}

/// A classroom server that misbehaves cannot hang the student's `kata` nor bloat its sender: the
/// check never waits for it, and the sender gives up by its deadline or at its answer limit.
@Suite(.timeLimit(.minutes(2)))
@NodeActor struct HostileClassroomTests {
    let manifest = try! KataManifest.load(from: Fixtures.workspace.root)

    private func joined(_ behaviour: FakeClassroom.Behaviour) async throws -> (
        FakeClassroom, StudentWorkspace
    ) {
        let classroom = FakeClassroom(certificates: try await TestCertificates.forTest())
        try await classroom.start()
        let student = try await StudentWorkspace.make(manifest)
        let run = try await student.join(classroom.address, fingerprint: classroom.fingerprint)
        try #require(run.ending == .exited(0), "\(run.output)")
        classroom.behaviour = behaviour
        return (classroom, student)
    }

    @Test func kataDoesNotWaitForAServerThatNeverAnswers() async throws {
        let (classroom, student) = try await joined(.neverAnswers)
        defer { classroom.close() }
        defer { student.remove() }
        // The sender would wait two minutes; `kata` is run with 40 s to live.
        let run = try await student.kata(environment: [
            "KATA_REPORT_EXCHANGE_MS": "120000", "KATA_REPORT_RETRY_SECONDS": "0",
        ])
        #expect(run.ending == .exited(0) && run.output.contains("Kata: 0 of"))
        try await classroom.until("the report") { classroom.reportAttempts == 1 }
        // The server going down ends the sender's wait; the report stays for the next check.
        try await classroom.stop()
        try await student.senderFinished()
        #expect(student.classroom.outbox.waiting().count == 1)
    }

    @Test(arguments: [FakeClassroom.Behaviour.neverAnswers, .drips])
    func theSenderGivesUpAtItsDeadline(behaviour: FakeClassroom.Behaviour) async throws {
        let (classroom, student) = try await joined(behaviour)
        defer { classroom.close() }
        defer { student.remove() }
        let report = try student.classroom.outbox.post([
            ObservedExercise(exercise: "line-splitter", state: .done)
        ])
        let send = try await student.reporter(
            "send", environment: ["KATA_REPORT_EXCHANGE_MS": "1500", "KATA_REPORT_RETRY_SECONDS": "0"])
        #expect(send.ending == .exited(1))
        #expect(send.output.contains("did not answer within 1 s"), "\(send.output)")
        #expect(student.classroom.outbox.waiting() == [report.sequence], "it waits for the next check")
    }

    @Test func theSenderStopsReadingAnAnswerAtItsLimit() async throws {
        let (classroom, student) = try await joined(.floods)
        defer { classroom.close() }
        defer { student.remove() }
        let report = try student.classroom.outbox.post([
            ObservedExercise(exercise: "line-splitter", state: .done)
        ])
        let send = try await student.reporter("send", environment: ["KATA_REPORT_RETRY_SECONDS": "0"])
        #expect(send.ending == .exited(1))
        #expect(send.output.contains("answered with more than 65536 bytes"), "\(send.output)")
        try await classroom.until("the flood cut off") { classroom.floodEndedAfter != nil }
        // What the server wrote before the sender hung up: its limit, plus what the sockets buffer.
        #expect((classroom.floodEndedAfter ?? .max) < 32 << 20)
        #expect(student.classroom.outbox.waiting() == [report.sequence])
    }
}
