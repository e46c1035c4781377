import ClassroomStudent
import Foundation
import KataRunner
import NodeNet
import TestSupport
import Testing

/// `kata join` over real sockets, against a classroom that keeps the contract: the CA is checked
/// by its fingerprint before anything is trusted, and every refusal says what to do.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct ClassroomJoinTests {
    let manifest = try! KataManifest.load(from: Fixtures.workspace.root)

    private func classroom() async throws -> FakeClassroom {
        let classroom = FakeClassroom(certificates: try await TestCertificates.forTest())
        try await classroom.start()
        return classroom
    }

    @Test func theRightFingerprintJoinsAndKeepsTheTokenAndTheCA() async throws {
        let classroom = try await classroom()
        defer { classroom.close() }
        let student = try await StudentWorkspace.make(manifest)
        defer { student.remove() }
        let run = try await student.join(classroom.address, fingerprint: classroom.fingerprint.lowercased())
        #expect(run.ending == .exited(0), "\(run.output)")
        #expect(run.output.contains("Joined the classroom at \(classroom.address) as Ada"))
        let (enrolment, pem) = try #require(student.classroom.enrolment())
        #expect(enrolment.name == "Ada" && !enrolment.token.isEmpty && enrolment.address == classroom.address)
        #expect(pem == classroom.servedCA && enrolment.caFingerprint == classroom.fingerprint)
        #expect(classroom.joinAttempts == 1)
    }

    @Test(arguments: [("y", true), ("no", false)])
    func onATerminalTheStudentComparesTheFingerprintAndTypesY(answer: String, joins: Bool) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "util-linux's script")
        let classroom = try await classroom()
        defer { classroom.close() }
        let student = try await StudentWorkspace.make(manifest)
        defer { student.remove() }
        let run = try await student.joinOnATerminal(classroom.address, answering: answer)
        #expect(
            run.output.contains("The classroom's CA fingerprint (SHA-256) is\r\n  \(classroom.fingerprint)"),
            "\(run.output)")
        #expect((student.classroom.enrolment() != nil) == joins)
        #expect(
            run.output.contains(
                joins ? "Joined the classroom" : "not joined: the fingerprint was not confirmed"))
        #expect(run.ending == .exited(joins ? 0 : 1))
        #expect(classroom.joinAttempts == (joins ? 1 : 0))
    }

    @Test func aWrongFingerprintIsRefusedNamingBoth() async throws {
        let classroom = try await classroom()
        defer { classroom.close() }
        let student = try await StudentWorkspace.make(manifest)
        defer { student.remove() }
        let other = try X509Certificate(pem: classroom.certificates.otherCACert).fingerprint256
        let run = try await student.join(classroom.address, fingerprint: other)
        #expect(run.ending == .exited(1))
        #expect(run.output.contains(classroom.fingerprint) && run.output.contains(other), "\(run.output)")
        #expect(student.classroom.enrolment() == nil && classroom.joinAttempts == 0)
    }

    @Test func aCAThatDidNotSignTheServerIsRefusedEvenWithItsFingerprint() async throws {
        let classroom = try await classroom()
        defer { classroom.close() }
        // Someone serves a CA of their own at /ca.pem and reads out its fingerprint: the server's
        // certificate is not signed by it, so TLS that trusts only it refuses the server.
        classroom.servedCA = classroom.certificates.otherCACert
        let student = try await StudentWorkspace.make(manifest)
        defer { student.remove() }
        let run = try await student.join(classroom.address, fingerprint: classroom.fingerprint)
        #expect(run.ending == .exited(1))
        #expect(run.output.contains("TLS connection to \(classroom.address) was refused"), "\(run.output)")
        #expect(student.classroom.enrolment() == nil && classroom.joinAttempts == 0)
    }

    @Test func aWrongCodeSaysToCheckTheCode() async throws {
        let classroom = try await classroom()
        defer { classroom.close() }
        let student = try await StudentWorkspace.make(manifest)
        defer { student.remove() }
        let run = try await student.join(classroom.address, fingerprint: classroom.fingerprint, code: "owl-7")
        #expect(run.ending == .exited(1))
        #expect(run.output.contains("the join code was not accepted"), "\(run.output)")
        #expect(run.output.contains("that is not this class's code"))
        #expect(student.classroom.enrolment() == nil)
    }

    @Test func aServerThatIsNotRunningIsSaidPlainly() async throws {
        let classroom = try await classroom()
        defer { classroom.close() }
        try await classroom.stop()
        let student = try await StudentWorkspace.make(manifest)
        defer { student.remove() }
        let run = try await student.join(classroom.address, fingerprint: classroom.fingerprint)
        #expect(run.ending == .exited(1))
        #expect(
            run.output.contains("Nothing answers at \(classroom.address) (connection refused)"),
            "\(run.output)")
    }

    @Test func withoutAFingerprintOrATerminalItSaysWhatToPass() async throws {
        let classroom = try await classroom()
        defer { classroom.close() }
        let student = try await StudentWorkspace.make(manifest)
        defer { student.remove() }
        let run = try await student.reporter(
            "join", [classroom.address, "--name", "Ada", "--code", FakeClassroom.code])
        #expect(run.ending == .exited(1))
        #expect(run.output.contains("no --fingerprint was given, and there is no terminal"), "\(run.output)")
        #expect(classroom.joinAttempts == 0)
    }

    @Test(arguments: [
        (["http://127.0.0.1:8443"], "https://192.168.1.20:8443"),
        (["https://127.0.0.1:8443/board"], "more than a host and a port"),
        (["https://127.0.0.1:8443", "--fingerprint", "AB:CD"], "is not a SHA-256 fingerprint"),
    ])
    func kataJoinRefusesABadAddressOrFingerprintBeforeBuildingAnything(arguments: [String], says: String)
        async throws
    {
        let student = try await StudentWorkspace.make(manifest)
        defer { student.remove() }
        let run = try await student.kata(["join"] + arguments + ["--name", "Ada", "--code", "c"])
        #expect(run.ending != .exited(0))
        #expect(run.output.contains(says), "\(run.output)")
        #expect(!run.output.contains("Building the classroom reporter"))
    }
}
