import ClassroomServer
import ClassroomWire
import Foundation
import NodeNet
import TestSupport
import Testing

/// The routes of ClassroomWire, end to end over real HTTPS sockets.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct ClassroomRouteTests {
    @Test func threeStudentsJoinReportAndTheTeacherSeesEachRow() async throws {
        let room = try await TestClass()
        defer { Task { await room.finish() } }
        let ann = try await room.join("Ann")
        let bo = try await room.join("Bo")
        _ = try await room.join("Cy")
        #expect(
            try await room.report(ann, boardReport(1, ["greet-and-reply": .done, "line-splitter": .failing]))
                .ack == ReportAck(sequence: 1, stored: true))
        #expect(try await room.report(bo, boardReport(7, ["greet-and-reply": .failing])).status == 200)
        let board = try await room.board()
        #expect(board.exercises == testExercises)
        #expect(board.students.map(\.name) == ["Ann", "Bo", "Cy"])
        #expect(
            board.students[0].exercises
                == boardReport(1, ["greet-and-reply": .done, "line-splitter": .failing]).exercises)
        #expect(board.students[1].exercises.map(\.state) == [.failing])
        #expect(board.students[2].exercises.isEmpty && board.students[2].lastReportAt == nil)
        #expect(board.students[0].lastReportAt != nil)
    }

    @Test func theTokenDecidesTheRowAndAResentReportIsIgnored() async throws {
        let room = try await TestClass()
        defer { Task { await room.finish() } }
        let ann = try await room.join("Ann")
        let bo = try await room.join("Bo")
        #expect(try await room.report(ann, boardReport(5, ["accept-key": .done])).status == 200)
        // A resend, and a late older report: acknowledged with the stored sequence, not stored.
        #expect(
            try await room.report(ann, boardReport(5, ["accept-key": .failing])).ack
                == ReportAck(sequence: 5, stored: false))
        #expect(
            try await room.report(ann, boardReport(2, ["datagram-echo": .done])).ack
                == ReportAck(sequence: 5, stored: false))
        let board = try await room.board()
        #expect(board.students[0].exercises.map(\.state) == [.done])
        #expect(board.students[1].exercises.isEmpty, "Ann's token wrote only Ann's row")
        // Bo's sequence is his own: 1 is news for him.
        #expect(try await room.report(bo, boardReport(1, ["datagram-echo": .done])).ack?.stored == true)
        // Joining again under a name gives a new token for the same row; the old one still works.
        let annAgain = try await room.join("Ann")
        #expect(annAgain != ann)
        #expect(try await room.report(annAgain, boardReport(6, ["accept-key": .failing])).ack?.stored == true)
        #expect(try await room.board().students.count == 2)
    }

    @Test func theCAServedIsTheOneWhoseFingerprintIsPrinted() async throws {
        let room = try await TestClass()
        defer { Task { await room.finish() } }
        let answer = try await room.call("GET", ClassroomRoute.caCertificate)
        #expect(answer.status == 200)
        let ca = try X509Certificate(pem: answer.body)
        #expect(ca.fingerprint256 == room.server.keys.fingerprint)
        #expect(ca.ca)
        let banner = room.server.banner()
        #expect(banner.contains(room.server.keys.fingerprint))
        #expect(
            banner.contains(
                "swift run kata join https://localhost:\(room.port) --name NAME --code \(room.server.joinCode)"
            ))
        #expect(banner.contains(room.server.pageURL()))
        let serverCert = try X509Certificate(pem: try #require(room.server.keys.server.cert))
        #expect(serverCert.checkIssued(ca))
        #expect(serverCert.subjectAltName == "DNS:localhost, IP Address:127.0.0.1")
    }

    @Test func theServerCertificateCoversTheMachinesAddresses() async throws {
        let addresses = ClassKeys.localAddresses()
        #expect(addresses.first == "127.0.0.1")
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let keys = try ClassKeys.inFolder(folder.url, hosts: addresses)
        let certificate = try X509Certificate(pem: try #require(keys.server.cert))
        for address in addresses { #expect(try certificate.checkIP(address) != nil, "\(address)") }
        #expect(certificate.checkHost("localhost") != nil)
        // A second start reuses every file; a new address gets a new server certificate from the same CA.
        #expect(try ClassKeys.inFolder(folder.url, hosts: addresses).server.cert == keys.server.cert)
        let moved = try ClassKeys.inFolder(folder.url, hosts: addresses + ["10.9.8.7"])
        #expect(moved.fingerprint == keys.fingerprint)
        #expect(moved.server.cert != keys.server.cert)
        let mode =
            try FileManager.default.attributesOfItem(atPath: folder.path("ca.key"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func theExportIsOneCSVLinePerStudentAndExercise() async throws {
        let room = try await TestClass()
        defer { Task { await room.finish() } }
        let ann = try await room.join("=Ann, the \"first\"")
        _ = try await room.report(
            ann, boardReport(1, ["line-splitter": .failing], message: "line 2\nwas \"x\""))
        let answer = try await room.call("GET", ClassroomRoute.export, token: room.teacher)
        #expect(answer.status == 200)
        let lines = answer.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 1 + testExercises.count)
        #expect(lines[0] == "student,exercise,state,changed_at,message,last_report_at")
        #expect(lines[1].hasPrefix("\"'=Ann, the \"\"first\"\"\",greet-and-reply,not-started,,,"))
        #expect(answer.body.contains(",line-splitter,failing,2026-05-28T"))
        #expect(answer.body.contains(",\"line 2\nwas \"\"x\"\"\","))
    }

    @Test func curlJoinsAndReportsTrustingOnlyTheClassCA() async throws {
        let curl = try requirePeer("curl")
        let room = try await TestClass()
        defer { Task { await room.finish() } }
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try work.write("ca.pem", room.ca)
        let base = "https://localhost:\(room.port)"
        let join = try await runPeer(
            curl,
            [
                "-sS", "--cacert", "ca.pem", "-X", "POST", "\(base)/api/join", "-d",
                #"{"name":"curl","code":"\#(room.server.joinCode)"}"#,
            ],
            in: work.url)
        let token = try ClassroomJSON.decoder().decode(JoinResponse.self, from: Data(join.output.utf8)).token
        try work.write(
            "report.json", String(decoding: encoded(boardReport(3, ["datagram-echo": .done])), as: UTF8.self))
        let report = try await runPeer(
            curl,
            [
                "-sS", "--cacert", "ca.pem", "-X", "PUT", "-H", "Authorization: Bearer \(token)",
                "--data-binary", "@report.json", "\(base)/api/report",
            ],
            in: work.url)
        #expect(report.output == #"{"sequence":3,"stored":true}"#, "\(report)")
        // Without the class CA, curl refuses the server: the students' trust is the CA, nothing else.
        let untrusting = try await runPeer(curl, ["-sS", "\(base)/ca.pem"], in: work.url)
        #expect(untrusting.status == 60, "\(untrusting)")
        #expect(try await room.board().students.first?.exercises.first?.state == .done)
    }

    @Test func everyWrongMethodAndUnknownPathIsAnsweredWithAnErrorBody() async throws {
        let room = try await TestClass()
        defer { Task { await room.finish() } }
        let wrongMethod = try await room.call("DELETE", ClassroomRoute.report)
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.body.contains(#""error":"method-not-allowed""#))
        let nowhere = try await room.call("GET", "/secrets")
        #expect(nowhere.status == 404)
        #expect(nowhere.body.contains(#""error":"not-found""#))
        let page = try await room.call("GET", "/?token=\(room.teacher)")
        #expect(page.status == 200 && page.body.contains("<table id=\"board\">"))
    }
}
