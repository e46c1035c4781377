import ClassroomWire
import Foundation
import NodeNet

/// Chapter 4's WebSocket server on the classroom's HTTPS server: the teacher's page opens
/// `/live?token=…`, gets the whole board at once and again after reports arrive.
@NodeActor final class LiveBoard {
    private let sockets: WebSocketServer
    private unowned let classroom: ClassroomServer
    private var pending: Timeout?
    /// Set by `close`: a report committed after it (its store call was under way) pushes nothing.
    private var closed = false

    init(server: HTTPSServer, classroom: ClassroomServer) {
        self.classroom = classroom
        // excerpt: live
        sockets = WebSocketServer(
            server: server, path: ClassroomRoute.live,
            verifyClient: .verdict { [unowned classroom] info in
                let token = info.req.query("token")
                return classroom.isTeacher(token)
                    ? .accept : .refuse(status: 401, message: "not the teacher's token")
            })
        sockets.on(.connection) { [unowned classroom] ws, _ in ws.send(classroom.boardJSON()) }
        // end excerpt
    }

    // excerpt: push
    /// A report (or a join) was committed: within `pushDelay` every page gets the new board. The
    /// reports of that short wait share one push, so a busy class costs a few pushes a second.
    func changed() {
        guard pending == nil, !closed else { return }
        pending = setTimeout(classroom.options.pushDelay) { [self] in
            pending = nil
            guard !sockets.clients.isEmpty else { return }
            let text = classroom.boardJSON()
            for ws in sockets.clients where ws.readyState == .open { ws.send(text) }
        }
    }
    // end excerpt

    /// Stops taking pages and closes those open.
    func close() {
        closed = true
        pending?.close()
        pending = nil
        for ws in sockets.clients { ws.terminate() }
        sockets.close()
    }
}
