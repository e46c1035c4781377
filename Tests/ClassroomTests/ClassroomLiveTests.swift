import ClassroomServer
import ClassroomWire
import Foundation
import NodeNet
import TestSupport
import Testing

/// The teacher's page is pushed the board over a WebSocket after a report, once `pushDelay` has
/// gathered the reports around it. How soon, on a quiet machine, is a number, not a test: a
/// loaded machine may take seconds, and a push that never comes fails the wait.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct ClassroomLiveTests {
    @Test func aReportIsPushedToTheLiveBoardOncePushDelayHasPassed() async throws {
        let pushDelay = 300
        let room = try await TestClass { $0.pushDelay = pushDelay }
        defer { Task { await room.finish() } }
        var boards: [ClassBoard] = []
        var waiting: (until: (ClassBoard) -> Bool, done: @NodeActor () -> Void)?
        let ws = WebSocket(
            "wss://localhost:\(room.port)\(ClassroomRoute.live)?token=\(room.teacher)",
            options: WebSocketOptions(tls: TLSOptions(ca: [room.ca])))
        ws.on(.message) { message in
            guard let text = message.text,
                let board = try? ClassroomJSON.decoder().decode(ClassBoard.self, from: Data(text.utf8))
            else { return }
            boards.append(board)
            if let (until, done) = waiting, until(board) {
                waiting = nil
                done()
            }
        }
        defer { ws.terminate() }
        /// Waits for a board that `until` accepts, counting those already pushed.
        func board(_ what: String, _ until: @escaping (ClassBoard) -> Bool) async throws {
            try await waitFor(what, seconds: 20) { done in
                if boards.contains(where: until) { done() } else { waiting = (until, done) }
            }
        }
        try await board("the board at once") { $0.students.isEmpty }
        // The page is open before Ann joins, so her join's push comes, and its timer is spent,
        // before her report starts one of its own.
        let ann = try await room.join("Ann")
        try await board("the board after Ann joined") { $0.students.map(\.name) == ["Ann"] }

        let sent = ContinuousClock.now
        #expect(try await room.report(ann, boardReport(1, ["line-splitter": .failing])).status == 200)
        try await board("the pushed board") { $0.students.first?.exercises.map(\.state) == [.failing] }
        let elapsed = ContinuousClock.now - sent
        #expect(
            elapsed >= .milliseconds(pushDelay),
            "the board came \(elapsed) after the report, before pushDelay")
    }
}
