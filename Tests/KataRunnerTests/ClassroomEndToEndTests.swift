import ClassroomServer
import ClassroomWire
import Foundation
import KataRunner
import NodeNet
import TestSupport
import Testing

/// The classroom as a class uses it: the real teacher's server (in this process, its class in a
/// temporary folder) and three students' workspaces, each running the built `kata` and its
/// sender. The teacher's board is read with curl, trusting only the class CA.
@Suite(.timeLimit(.minutes(3)))
@NodeActor struct ClassroomEndToEndTests {
    let manifest: KataManifest
    let quick = ["KATA_REPORT_MAX_PAUSE_MS": "200", "KATA_REPORT_RETRY_SECONDS": "20"]

    init() throws {
        manifest = try KataManifest.load(from: Fixtures.workspace.root)
    }

    @Test func threeStudentsReachTheTeacherAlsoAcrossARestartAndAWrongTokenWritesNothing() async throws {
        let curl = try requirePeer("curl")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("class-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = ClassroomOptions(
            folder: folder, exercises: manifest.all.map(\.exercise.name), port: 0, host: "127.0.0.1",
            certificateHosts: ["127.0.0.1"])
        var server = try await ClassroomServer.start(options)
        let address = "https://127.0.0.1:\(server.port)"
        let caFile = folder.appendingPathComponent("ca-for-curl.pem")
        try Data(server.keys.caPEM.utf8).write(to: caFile)
        let names = ["Ada", "Bo", "Cai"]
        var students: [StudentWorkspace] = []
        for _ in names { students.append(try await StudentWorkspace.make(manifest)) }
        defer { for student in students { student.remove() } }

        for (name, student) in zip(names, students) {
            let join = try await student.reporter(
                "join",
                [
                    address, "--name", name, "--code", server.joinCode, "--fingerprint",
                    server.keys.fingerprint,
                ])
            try #require(join.ending == .exited(0), "\(name) could not join: \(join.output)")
            let check = try await student.kata(environment: quick)
            #expect(check.ending == .exited(0), "\(check.output)")
            try await delivered(student)
        }
        let first = try await board(curl, server, caFile)
        #expect(first.students.map(\.name) == names)
        #expect(
            first.students.allSatisfy { $0.lastReportAt != nil && $0.exercises.count == manifest.all.count })

        // The teacher's server goes down; each student's check still ends at once, and its report
        // waits. A new server on the same class and port receives them.
        options.port = server.port
        await server.close()
        // The board's times are whole seconds (ISO 8601 on the wire): a report made in the second
        // the server went down reads as that second. That it was delivered at all is what
        // `delivered` checks below (nothing left waiting in any outbox).
        let down = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        for student in students {
            let check = try await student.kata(environment: quick)
            #expect(check.ending == .exited(0), "the check does not wait for the server: \(check.output)")
            try await student.senderFinished()
            #expect(!student.classroom.outbox.waiting().isEmpty, "nothing acknowledged while down")
        }
        server = try await ClassroomServer.start(options)
        defer { Task { await server.close() } }
        for student in students { try await delivered(student) }
        let after = try await board(curl, server, caFile)
        #expect(after.students.map(\.name) == names, "the restarted server kept every student")
        for row in after.students {
            #expect(
                (row.lastReportAt ?? .distantPast) >= down,
                "\(row.name)'s report made while down never arrived")
        }

        // A workspace that claims to be Ada with a token the server never gave writes nothing.
        let impostor = try await StudentWorkspace.make(manifest)
        defer { impostor.remove() }
        let (enrolment, ca) = try #require(students[0].classroom.enrolment())
        var forged = enrolment
        forged.token = String(repeating: "0", count: enrolment.token.count)
        try impostor.classroom.save(forged, caPEM: ca)
        _ = try await impostor.kata(environment: quick)
        try await settled(impostor) { impostor.classroom.tokenRefused }
        #expect(
            impostor.classroom.tokenRefused, "the server must refuse the forged token: \(impostor.senderLog)")
        let last = try await board(curl, server, caFile)
        #expect(last == after, "a wrong token changed the board")
    }

    /// Waits until the student's reports are acknowledged.
    private func delivered(_ student: StudentWorkspace) async throws {
        try await settled(student) { student.classroom.outbox.waiting().isEmpty }
        #expect(student.classroom.outbox.waiting().isEmpty, "never acknowledged: \(student.senderLog)")
    }

    /// Waits until `done` holds once no sender is at work. The background sender `kata` started
    /// may not have taken its lock yet, so while `done` does not hold, the student's sender runs
    /// in the foreground, which sends what waits or, seeing the other at work, leaves it to it.
    private func settled(_ student: StudentWorkspace, until done: () -> Bool) async throws {
        for _ in 0..<50 {
            try await student.senderFinished()
            if done() { return }
            _ = try await student.reporter("send", environment: quick)
        }
    }

    /// The teacher's board, fetched by curl trusting only the class CA.
    private func board(_ curl: String, _ server: ClassroomServer, _ ca: URL) async throws -> ClassBoard {
        let url = "https://127.0.0.1:\(server.port)\(ClassroomRoute.board)"
        let token = server.teacherToken
        let run = try await Fixtures.offThePool {
            try ChildProcess.run(
                curl, ["-sS", "--fail", "--cacert", ca.path, "-H", "Authorization: Bearer \(token)", url],
                limits: ChildProcess.Limits(seconds: 20))
        }
        try #require(run.ending == .exited(0), "curl: \(run.output)")
        return try ClassroomJSON.decoder().decode(ClassBoard.self, from: Data(run.output.utf8))
    }
}
