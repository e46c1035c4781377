import ClassroomWire
import Foundation
import NodeNet

extension ClassroomServer {
    // excerpt: routes
    /// Chapter 3's server, by method and path: every answer is JSON except the page, the CA and
    /// the CSV; every refusal is an ``ErrorBody``.
    func route(_ req: IncomingMessage, _ res: ServerResponse) {
        switch (req.method, req.path) {
        case ("GET", ClassroomRoute.page): teacherOnly(req, res, token: req.query("token")) { self.page(res) }
        case ("GET", ClassroomRoute.caCertificate): res.send(200, "application/x-pem-file", keys.caPEM)
        case ("POST", ClassroomRoute.join): join(req, res)
        case ("PUT", ClassroomRoute.report): report(req, res)
        case ("GET", ClassroomRoute.board):
            teacherOnly(req, res, token: req.bearerToken) {
                res.send(200, "application/json; charset=utf-8", self.boardJSON())
            }
        case ("GET", ClassroomRoute.export):
            teacherOnly(req, res, token: req.bearerToken) { self.export(res) }
        case ("GET", ClassroomRoute.live):
            res.refuse(Refusal(426, "upgrade-required", "\(ClassroomRoute.live) is a WebSocket"))
        case (_, let path) where Self.methods[path] != nil:
            res.setHeader("Allow", Self.methods[path]!)
            res.refuse(
                Refusal(405, "method-not-allowed", "\(path) takes \(Self.methods[path]!), not \(req.method)"))
        default: res.refuse(Refusal(404, "not-found", "there is nothing at \(req.path)"))
        }
    }
    // end excerpt

    private static let methods = [
        ClassroomRoute.page: "GET", ClassroomRoute.caCertificate: "GET", ClassroomRoute.join: "POST",
        ClassroomRoute.report: "PUT", ClassroomRoute.board: "GET", ClassroomRoute.export: "GET",
        ClassroomRoute.live: "GET",
    ]

    private func teacherOnly(
        _ req: IncomingMessage, _ res: ServerResponse, token: String?,
        _ answer: @escaping @NodeActor () -> Void
    ) {
        req.resume()
        guard token != nil else {
            return res.refuse(Refusal(401, "no-token", "the teacher's token is missing"))
        }
        guard isTeacher(token) else {
            return res.refuse(Refusal(401, "bad-token", "that is not the teacher's token"))
        }
        answer()
    }

    private func join(_ req: IncomingMessage, _ res: ServerResponse) {
        req.readBody(limit: options.maxBodyBytes) { [self] body in
            let request: JoinRequest
            switch body.flatMap({ decode(JoinRequest.self, $0) }) {
            case .failure(let refusal): return res.refuse(refusal)
            case .success(let decoded): request = decoded
            }
            let name = request.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...options.maxNameLength).contains(name.count),
                !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                return res.refuse(
                    Refusal(
                        400, "bad-name",
                        "name must be 1 to \(options.maxNameLength) characters, none a control"))
            }
            let address = req.socket.remoteAddress ?? ""
            if let wait = joinAttempts.wait(for: address, at: .now) {
                let seconds = Int(wait.components.seconds) + 1
                var refusal = Refusal(
                    429, "too-many-attempts",
                    "\(options.maxWrongCodes) wrong join codes from this address: try again in \(seconds) s")
                refusal.retryAfter = seconds
                return res.refuse(refusal)
            }
            // A wrong code is a refused credential in the body, not a missing Authorization: 403.
            guard request.code == joinCode else {
                joinAttempts.wrongCode(from: address, at: .now)
                return res.refuse(Refusal(403, "bad-code", "that is not this class's join code"))
            }
            guard state.admits(name, limit: options.maxStudents) else {
                return res.refuse(
                    Refusal(403, "class-full", "the class has its \(options.maxStudents) students"))
            }
            let token = Self.secret(bytes: 24)
            let hash = ClassState.hash(token)
            let store = store
            Task { @NodeActor in
                do {
                    let id = try await store.join(name: name, tokenHash: hash, at: Date())
                    self.state.joined(id: id, name: name, tokenHash: hash)
                    self.live.changed()
                    res.json(201, JoinResponse(name: name, token: token))
                } catch {
                    res.refuse(Refusal(500, "store-failed", "the class file could not be written: \(error)"))
                }
            }
        }
    }

    // excerpt: report
    /// `PUT /api/report`: the token picks the row (a name in the body could be anyone's); the
    /// report is checked whole before anything is written, and `200` waits for the commit.
    private func report(_ req: IncomingMessage, _ res: ServerResponse) {
        guard let token = req.bearerToken else {
            req.resume()
            return res.refuse(Refusal(401, "no-token", "Authorization: Bearer <token> is missing"))
        }
        guard let student = state.student(withToken: token) else {
            req.resume()
            return res.refuse(Refusal(401, "bad-token", "that token belongs to no student: join again"))
        }
        req.readBody(limit: options.maxBodyBytes) { [self] body in
            var report: BoardReport
            switch body.flatMap({ decode(BoardReport.self, $0) }) {
            case .failure(let refusal): return res.refuse(refusal)
            case .success(let decoded): report = decoded
            }
            if let unknown = report.exercises.first(where: { !state.isKnown($0.exercise) }) {
                return res.refuse(
                    Refusal(404, "unknown-exercise", "no exercise is called \(unknown.exercise)"))
            }
            for at in report.exercises.indices {
                report.exercises[at].message = report.exercises[at].message.map {
                    String($0.prefix(options.maxMessageLength))
                }
            }
            let received = Date()
            Task { @NodeActor [report] in
                do {
                    let ack = try await writer.record(.init(report: report, student: student, at: received))
                    if ack.stored {
                        self.state.recorded(report, student: student, at: received)
                        self.live.changed()
                    }
                    res.json(200, ack)
                } catch {
                    res.refuse(Refusal(500, "store-failed", "the report could not be stored: \(error)"))
                }
            }
        }
    }
    // end excerpt

    private func export(_ res: ServerResponse) {
        res.setHeader("Content-Disposition", "attachment; filename=\"class.csv\"")
        res.send(200, "text/csv; charset=utf-8", ClassCSV.text(of: state.board))
    }

    private func page(_ res: ServerResponse) {
        res.setHeader(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self' wss:"
        )
        res.send(200, "text/html; charset=utf-8", BoardPage.html(board: boardJSON()))
    }
}
