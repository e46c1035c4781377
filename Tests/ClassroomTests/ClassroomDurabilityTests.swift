import ClassroomServer
import ClassroomWire
import Foundation
import NodeNet
import TestSupport
import Testing

/// Nothing acknowledged is lost: a server stopped, or killed, and started again on the same
/// folder shows every report it answered `200`.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct ClassroomDurabilityTests {
    @Test func aRestartedServerShowsEveryAcknowledgedReport() async throws {
        let first = try await TestClass()
        let ann = try await first.join("Ann")
        let bo = try await first.join("Bo")
        for sequence in 1...20 {
            let state: ExerciseState = sequence.isMultiple(of: 2) ? .done : .failing
            #expect(
                try await first.report(ann, boardReport(sequence, ["datagram-echo": state])).status == 200)
        }
        #expect(
            try await first.report(bo, boardReport(1, ["accept-key": .failing], message: "no reply")).status
                == 200)
        let before = try await first.board()
        let (code, teacher, fingerprint) = (
            first.server.joinCode, first.teacher, first.server.keys.fingerprint
        )
        await first.stop()

        let second = try await TestClass(folder: first.folder)
        defer { Task { await second.finish() } }
        #expect(try await second.board() == before)
        // The same class: its code, the teacher's token, the CA the students pinned, their tokens.
        #expect(second.server.joinCode == code && second.teacher == teacher)
        #expect(second.server.keys.fingerprint == fingerprint)
        #expect(
            try await second.report(ann, boardReport(20, [:])).ack == ReportAck(sequence: 20, stored: false))
        #expect(try await second.report(bo, boardReport(2, ["accept-key": .done])).ack?.stored == true)
    }

    /// A `classroom` process killed with SIGKILL while reports stream in: every report it
    /// acknowledged is in the class when a new process opens it.
    @Test func aKilledServerProcessKeepsWhatItAcknowledged() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let first = try await startProgram(folder)
        let (port, ca) = try await listening(first, folder)
        let code = try #require(first.standardOutput.firstMatch(of: /--code (\w+)/)?.1)
        let join = try await classroomCall(
            port: port, ca: ca, "POST", ClassroomRoute.join,
            body: encoded(JoinRequest(name: "Ann", code: String(code))))
        let token = try ClassroomJSON.decoder().decode(JoinResponse.self, from: Data(join.body.utf8)).token
        // Reports go one after another; after the tenth acknowledgement the server is killed
        // while the next is on its way.
        var acknowledged = 0
        var sequence = 0
        while true {
            sequence += 1
            if acknowledged == 10 { first.killNow() }
            let report = boardReport(sequence, ["datagram-echo": .failing], message: "run \(sequence)")
            guard
                let answer = try? await classroomCall(
                    port: port, ca: ca, "PUT", ClassroomRoute.report, token: token, body: encoded(report)),
                answer.status == 200
            else { break }
            acknowledged = sequence
        }
        #expect(acknowledged >= 10)
        _ = try await first.waitForExit()

        let second = try await startProgram(folder)
        defer { second.stop() }
        let (newPort, _) = try await listening(second, folder)
        let teacher = try #require(second.standardOutput.firstMatch(of: /token=(\w+)/)?.1)
        let answer = try await classroomCall(
            port: newPort, ca: ca, "GET", ClassroomRoute.board, token: String(teacher))
        let board = try ClassroomJSON.decoder().decode(ClassBoard.self, from: Data(answer.body.utf8))
        let message = try #require(board.students.first?.exercises.first?.message)
        let stored = try #require(Int(message.dropFirst("run ".count)))
        #expect(stored >= acknowledged, "acknowledged \(acknowledged), the class holds \(stored)")
    }

    private func startProgram(_ folder: TemporaryDirectory) async throws -> RunningProgram {
        let program = try RunningProgram.built(
            "classroom", ["--folder", folder.path("class"), "--port", "0", "--host", "127.0.0.1"])
        return program
    }

    /// Waits for the banner; returns the port and the class CA.
    private func listening(_ program: RunningProgram, _ folder: TemporaryDirectory) async throws -> (
        Int, String
    ) {
        let output = try await program.waitForOutput(containing: "The board:")
        let port = try #require(output.firstMatch(of: /on port (\d+)/).flatMap { Int($0.1) })
        return (port, try folder.read("class/ca.crt"))
    }
}
