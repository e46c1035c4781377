import ClassroomServer
import ClassroomWire
import Foundation
import NodeNet
import TestSupport
import Testing

/// The teacher's page is pushed the board over a WebSocket within a second of a report.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct ClassroomLiveTests {
    @Test func aReportReachesTheLiveBoardWithinASecond() async throws {
        let room = try await TestClass()
        defer { Task { await room.finish() } }
        let ann = try await room.join("Ann")
        var boards: [ClassBoard] = []
        var waiting: (count: Int, done: @NodeActor () -> Void)?
        let ws = WebSocket(
            "wss://localhost:\(room.port)\(ClassroomRoute.live)?token=\(room.teacher)",
            options: WebSocketOptions(tls: TLSOptions(ca: [room.ca])))
        ws.on(.message) { message in
            guard let text = message.text else { return }
            if let board = try? ClassroomJSON.decoder().decode(ClassBoard.self, from: Data(text.utf8)) {
                boards.append(board)
            }
            if let (count, done) = waiting, boards.count >= count { done() }
        }
        defer { ws.terminate() }
        func arrived(_ count: Int, _ done: @escaping @NodeActor () -> Void) {
            if boards.count >= count { done() } else { waiting = (count, done) }
        }
        try await waitFor("the board at once") { done in arrived(1, done) }
        #expect(boards[0].students.map(\.name) == ["Ann"])

        let sent = ContinuousClock.now
        #expect(try await room.report(ann, boardReport(1, ["line-splitter": .failing])).status == 200)
        try await waitFor("the pushed board", seconds: 5) { done in arrived(2, done) }
        let elapsed = ContinuousClock.now - sent
        #expect(elapsed < .seconds(1), "the push took \(elapsed)")
        #expect(boards.last?.students[0].exercises.map(\.state) == [.failing])
    }
}
