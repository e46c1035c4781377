import NodeNet
import Testing

@testable import ClassroomServer

extension ClassroomLiveTests {
    /// A report whose commit lands after `close` (its store call was under way when the teacher
    /// stopped the server) arms no push: nothing of the closed class is left waiting, and no
    /// timer fires into a board that is gone. ASan's run of the suite found the board freed under
    /// a timer that still pointed at it, which ended the whole test process.
    @Test func aChangeAfterCloseArmsNoPush() async throws {
        weak var board: LiveBoard?
        do {
            let room = try await TestClass { $0.pushDelay = 10 }
            await room.finish()
            board = room.server.live
            room.server.live.changed()
        }
        #expect(board == nil, "a closed class's board is still held, by a push armed after close")
    }
}
