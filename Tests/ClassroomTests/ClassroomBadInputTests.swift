import ClassroomServer
import ClassroomWire
import Foundation
import NodeNet
import TestSupport
import Testing

/// Hostile and broken requests: each is refused with the status and ``ErrorBody`` that name the
/// problem, nothing of it is written, and the next normal student is served.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct ClassroomBadInputTests {
    /// Whose token a request carries.
    enum Who: Sendable { case nobody, stranger, student, teacher }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let path: String
        let who: Who
        let body: [UInt8]?
        let status: Int
        let error: String
        var testDescription: String { name }
    }

    nonisolated static let report = encoded(boardReport(9, ["datagram-echo": .done]))

    nonisolated static let cases: [Case] = [
        Case(
            name: "a report with no token", method: "PUT", path: ClassroomRoute.report, who: .nobody,
            body: report, status: 401, error: "no-token"),
        Case(
            name: "a report with a made-up token", method: "PUT", path: ClassroomRoute.report, who: .stranger,
            body: report, status: 401, error: "bad-token"),
        Case(
            name: "a report with the teacher's token", method: "PUT", path: ClassroomRoute.report,
            who: .teacher, body: report, status: 401, error: "bad-token"),
        Case(
            name: "malformed JSON", method: "PUT", path: ClassroomRoute.report, who: .student,
            body: Array(#"{"sequence":9,"#.utf8), status: 400, error: "bad-json"),
        Case(
            name: "a report missing its exercises", method: "PUT", path: ClassroomRoute.report, who: .student,
            body: Array(#"{"sequence":9,"sentAt":"2026-01-01T00:00:00Z"}"#.utf8), status: 400,
            error: "bad-json"),
        Case(
            name: "a state that does not exist", method: "PUT", path: ClassroomRoute.report, who: .student,
            body: Array(
                #"{"sequence":9,"sentAt":"2026-01-01T00:00:00Z","exercises":[{"exercise":"datagram-echo","state":"hacked","changedAt":"2026-01-01T00:00:00Z"}]}"#
                    .utf8), status: 400, error: "bad-json"),
        Case(
            name: "an unknown exercise beside a known one", method: "PUT", path: ClassroomRoute.report,
            who: .student, body: encoded(boardReport(9, ["datagram-echo": .done, "rm-rf": .done])),
            status: 404, error: "unknown-exercise"),
        Case(
            name: "a body past the limit", method: "PUT", path: ClassroomRoute.report, who: .student,
            body: [UInt8](repeating: 32, count: ClassroomRoute.maxBodyBytes + 1), status: 413,
            error: "too-large"),
        Case(
            name: "a join with the wrong code", method: "POST", path: ClassroomRoute.join, who: .nobody,
            body: encoded(JoinRequest(name: "Eve", code: "guess")), status: 403, error: "bad-code"),
        Case(
            name: "a join with an empty name", method: "POST", path: ClassroomRoute.join, who: .nobody,
            body: encoded(JoinRequest(name: "  ", code: "CODE")), status: 400, error: "bad-name"),
        Case(
            name: "a join with a control character in the name", method: "POST", path: ClassroomRoute.join,
            who: .nobody, body: encoded(JoinRequest(name: "Eve\u{1b}[2J", code: "CODE")), status: 400,
            error: "bad-name"),
        Case(
            name: "a join with a name past the limit", method: "POST", path: ClassroomRoute.join,
            who: .nobody, body: encoded(JoinRequest(name: String(repeating: "e", count: 65), code: "CODE")),
            status: 400, error: "bad-name"),
        Case(
            name: "the board with no token", method: "GET", path: ClassroomRoute.board, who: .nobody,
            body: nil, status: 401, error: "no-token"),
        Case(
            name: "the board with a student's token", method: "GET", path: ClassroomRoute.board,
            who: .student, body: nil, status: 401, error: "bad-token"),
        Case(
            name: "the export with a student's token", method: "GET", path: ClassroomRoute.export,
            who: .student, body: nil, status: 401, error: "bad-token"),
        Case(
            name: "the page with no token", method: "GET", path: ClassroomRoute.page, who: .nobody, body: nil,
            status: 401, error: "no-token"),
    ]

    @Test(arguments: cases)
    func isRefusedAndNothingIsWritten(_ bad: Case) async throws {
        let room = try await TestClass()
        defer { Task { await room.finish() } }
        let student = try await room.join("Ann")
        _ = try await room.report(student, boardReport(1, ["greet-and-reply": .failing]))
        let before = try await room.board()
        let token: String? =
            switch bad.who {
            case .nobody: nil
            case .stranger: "0123456789abcdef"
            case .student: student
            case .teacher: room.teacher
            }
        // `CODE` stands for this class's join code: only the name is wrong in those cases.
        let body = bad.body.map {
            Array(
                String(decoding: $0, as: UTF8.self).replacing("\"CODE\"", with: "\"\(room.server.joinCode)\"")
                    .utf8)
        }
        let answer = try await room.call(bad.method, bad.path, token: token, body: body)
        #expect(answer.status == bad.status, "\(answer.body)")
        let error = try ClassroomJSON.decoder().decode(ErrorBody.self, from: Data(answer.body.utf8))
        #expect(error.error == bad.error)
        #expect(!error.message.isEmpty)
        #expect(try await room.board() == before, "nothing was written")
        // The server still serves a normal student.
        #expect(
            try await room.report(student, boardReport(2, ["greet-and-reply": .done])).ack?.stored == true)
    }

    @Test func aStreamedBodyPastTheLimitIsRefusedAsItArrives() async throws {
        let room = try await TestClass { $0.maxBodyBytes = 1024 }
        defer { Task { await room.finish() } }
        let student = try await room.join("Ann")
        // No Content-Length: the body comes chunked, and is counted as it comes.
        var options = RequestOptions(
            host: "localhost", port: room.port, method: "PUT", path: ClassroomRoute.report)
        options.agent = nil
        options.tls = TLSOptions(ca: [room.ca])
        options.headers = [("Authorization", "Bearer \(student)")]
        let status: Int = try await waitFor("the 413") { done in
            let request = https.request(options) { res in
                res.resume()
                done(res.statusCode)
            }
            request.on(.error) { _ in }
            for _ in 0..<4 { request.write(String(repeating: " ", count: 512)) }
        }
        #expect(status == 413)
        #expect(
            try await room.report(student, boardReport(1, ["greet-and-reply": .done])).ack?.stored == true)
        #expect(try await room.board().students[0].exercises.map(\.state) == [.done])
    }

    @Test func aFullClassTakesNoNewStudentButLetsAMemberJoinAgain() async throws {
        let room = try await TestClass { $0.maxStudents = 2 }
        defer { Task { await room.finish() } }
        _ = try await room.join("Ann")
        _ = try await room.join("Bo")
        let refused = try await room.call(
            "POST", ClassroomRoute.join, body: encoded(JoinRequest(name: "Cy", code: room.server.joinCode)))
        #expect(refused.status == 403)
        #expect(refused.body.contains(#""error":"class-full""#))
        let again = try await room.join("Ann")
        #expect(try await room.report(again, boardReport(1, ["accept-key": .done])).status == 200)
        #expect(try await room.board().students.map(\.name) == ["Ann", "Bo"])
    }

    /// A program guessing join codes: past `maxWrongCodes` wrong codes from its address, a join
    /// from there is refused with `429` and `Retry-After`, with the right code too. curl joining
    /// from another address (127.0.0.2) is still let in, and a member's report is still stored.
    @Test func guessingTheJoinCodeIsStoppedWhileOthersJoin() async throws {
        let curl = try requirePeer("curl")
        let room = try await TestClass { $0.maxWrongCodes = 3 }
        defer { Task { await room.finish() } }
        let member = try await room.join("Ann")
        for guess in ["00000000", "00000001", "00000002"] {
            let answer = try await room.call(
                "POST", ClassroomRoute.join, body: encoded(JoinRequest(name: "Eve", code: guess)))
            #expect(answer.status == 403, "\(answer.body)")
        }
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try work.write("ca.pem", room.ca)
        func join(_ name: String, from address: String) async throws -> PeerRun {
            try await runPeer(
                curl,
                [
                    "-sS", "-i", "--cacert", "ca.pem", "--interface", address, "-X", "POST",
                    "https://127.0.0.1:\(room.port)\(ClassroomRoute.join)", "-d",
                    #"{"name":"\#(name)","code":"\#(room.server.joinCode)"}"#,
                ],
                in: work.url)
        }
        let guesser = try await join("Eve", from: "127.0.0.1")
        #expect(guesser.output.hasPrefix("HTTP/1.1 429 "), "\(guesser)")
        // Up to the window (a minute) from the first wrong code, in whole seconds.
        let retryAfter = guesser.output.split(separator: "\r\n").first { $0.hasPrefix("Retry-After: ") }
        #expect(
            retryAfter.flatMap { Int($0.dropFirst("Retry-After: ".count)) }.map { (1...60).contains($0) }
                == true,
            "\(guesser)")
        #expect(guesser.output.contains(#""error":"too-many-attempts""#), "\(guesser)")
        let elsewhere = try await join("Bo", from: "127.0.0.2")
        #expect(elsewhere.output.hasPrefix("HTTP/1.1 201 "), "\(elsewhere)")
        #expect(try await room.report(member, boardReport(1, ["accept-key": .done])).status == 200)
        #expect(try await room.board().students.map(\.name) == ["Ann", "Bo"])
    }

    /// A slowloris: half a join's head over TLS, then nothing. It is answered `408` and closed at
    /// `headersTimeout`, and meanwhile a student joins and reports as if it were not there.
    @Test func aClientThatStallsInItsHeadIsCutWhileOthersAreServed() async throws {
        let room = try await TestClass { $0.http.headersTimeout = 1500 }
        defer { Task { await room.finish() } }
        let slow = tls.connect(room.port, "127.0.0.1", TLSOptions(ca: [room.ca]))
        var slowReply = ""
        slow.on(.data) { slowReply += $0.toString() }
        slow.on(.error) { _ in }
        try await waitFor("half a head sent") { done in
            slow.once(.secureConnect) {
                slow.write("POST \(ClassroomRoute.join) HTTP/1.1\r\nHost: 127.0.0.1\r\n") { _ in done() }
            }
        }
        let student = try await room.join("Ann")
        #expect(try await room.report(student, boardReport(1, ["accept-key": .done])).status == 200)
        try await waitFor("the slow client's 408") { done in
            if slow.destroyed { done() } else { slow.on(.close) { _ in done() } }
        }
        #expect(slowReply.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(slowReply)")
        #expect(try await room.board().students.map(\.name) == ["Ann"])
    }

    @Test func aLongFailingMessageIsCutToTheLimit() async throws {
        let room = try await TestClass()
        defer { Task { await room.finish() } }
        let student = try await room.join("Ann")
        _ = try await room.report(
            student, boardReport(1, ["accept-key": .failing], message: String(repeating: "x", count: 2000)))
        #expect(try await room.board().students[0].exercises[0].message?.count == 500)
    }

    @Test func theLiveBoardRefusesAPageWithoutTheTeachersToken() async throws {
        let room = try await TestClass()
        defer { Task { await room.finish() } }
        let student = try await room.join("Ann")
        for token in ["", student] {
            let answer = try await room.call(
                "GET", "\(ClassroomRoute.live)?token=\(token)",
                headers: [
                    ("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"),
                    ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                ])
            #expect(answer.status == 401)
        }
    }
}
