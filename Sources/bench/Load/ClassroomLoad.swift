import ClassroomWire
import Foundation
import NIOCore
import NodeNet

/// The classroom workload's load client: a class of students, each joining once and then
/// reporting their whole board every few seconds whatever the answers (an open loop, as a
/// class does), with the teacher's page open on `/live`. A report not answered `200` is lost.
@NodeActor final class ClassroomLoad {
    /// The code the bench's classroom server is started with.
    nonisolated static let joinCode = "bench"

    /// How big a class, how often it reports, for how long.
    struct Plan: Sendable {
        let students: Int
        let exercises: Int
        let every: Double
        let seconds: Double
    }

    private var stats: RoundStats
    private var allOperations = 0
    private var inFlight = 0
    private var scheduling = true
    private var finished: (@NodeActor () -> Void)?
    private let request: RequestOptions
    private let agent: Agent

    private init(port: Int, ca: String, plan: Plan) {
        stats = RoundStats(start: .now(), seconds: plan.seconds)
        agent = Agent(keepAlive: true, maxSockets: plan.students)
        var request = RequestOptions(host: "localhost", port: port, agent: agent)
        request.tls = TLSOptions(ca: [ca])
        self.request = request
    }

    /// Joins `plan.students` students, opens the teacher's page, and runs the reports.
    static func reports(port: Int, ca: String, teacher: String, plan: Plan) async throws -> LoadClient.Round {
        let load = ClassroomLoad(port: port, ca: ca, plan: plan)
        defer { load.agent.destroy() }
        let board = try ClassroomJSON.decoder().decode(
            ClassBoard.self, from: Data(try await load.send("GET", ClassroomRoute.board, token: teacher).utf8)
        )
        guard board.exercises.count == plan.exercises else {
            throw BenchError("the class has \(board.exercises.count) exercises, not \(plan.exercises)")
        }
        var tokens: [String] = []
        for student in 0..<plan.students {
            let answer = try await load.send(
                "POST", ClassroomRoute.join,
                body: try ClassroomJSON.encoder().encode(
                    JoinRequest(name: "student \(student)", code: joinCode)))
            tokens.append(
                try ClassroomJSON.decoder().decode(JoinResponse.self, from: Data(answer.utf8)).token)
        }
        let page = WebSocket(
            "wss://localhost:\(port)\(ClassroomRoute.live)?token=\(teacher)",
            options: WebSocketOptions(tls: TLSOptions(ca: [ca])))
        defer { page.terminate() }
        await load.run(plan, tokens: tokens, exercises: board.exercises)
        // On NodeNet's one event loop, as the TLS workloads' client.
        return LoadClient.Round(stats: load.stats, allOperations: load.allOperations, allBytes: 0, threads: 1)
    }

    private func run(_ plan: Plan, tokens: [String], exercises: [String]) async {
        stats = RoundStats(start: .now(), seconds: plan.seconds)
        // Sequences above any a previous round stored for these names.
        let base = Int(Date().timeIntervalSince1970 * 1000)
        await until { done in
            finished = done
            for (student, token) in tokens.enumerated() {
                // Spread over the interval, as a class's saves are.
                let offset = Int(plan.every * 1000) * student / tokens.count
                var sent = 0
                var timer: Timeout?
                let tick: @NodeActor () -> Void = { [self] in
                    guard scheduling, NIODeadline.now() < stats.end else {
                        timer?.close()
                        return
                    }
                    sent += 1
                    report(token, BoardReport.sample(sent, exercises: exercises, sequence: base + sent))
                }
                _ = setTimeout(offset) {
                    tick()
                    timer = setInterval(Int(plan.every * 1000), tick)
                }
            }
            _ = setTimeout(Int(plan.seconds * 1000)) { [self] in
                scheduling = false
                if inFlight == 0 { finished?() }
            }
        }
    }

    private func report(_ token: String, _ board: BoardReport) {
        let began = NIODeadline.now()
        inFlight += 1
        var options = request
        options.method = "PUT"
        options.path = ClassroomRoute.report
        options.headers = [("Authorization", "Bearer \(token)")]
        let body = (try? ClassroomJSON.encoder().encode(board)) ?? Data()
        let sent = https.request(options) { [self] res in
            res.on(.data) { _ in }
            res.on(.end) { [self] in
                if res.statusCode == 200 {
                    allOperations += 1
                    stats.completed(began: began)
                } else {
                    stats.timedOut(began: began)
                }
                settled()
            }
        }
        sent.on(.error) { [self] _ in
            stats.timedOut(began: began)
            settled()
        }
        sent.end(Buffer([UInt8](body)))
    }

    private func settled() {
        inFlight -= 1
        if !scheduling, inFlight == 0 { finished?() }
    }

    /// One request's answer body, or an error for anything but 2xx.
    private func send(_ method: String, _ path: String, token: String? = nil, body: Data = Data())
        async throws
        -> String
    {
        var options = request
        options.method = method
        options.path = path
        if let token { options.headers = [("Authorization", "Bearer \(token)")] }
        let result: Result<(Int, String), NodeError> = await until { done in
            let sent = https.request(options) { res in
                var text = ""
                res.on(.data) { text += $0.toString() }
                res.on(.end) { done(.success((res.statusCode, text))) }
            }
            sent.on(.error) { done(.failure($0)) }
            sent.end(Buffer([UInt8](body)))
        }
        let (status, text) = try result.get()
        guard (200..<300).contains(status) else { throw BenchError("\(method) \(path): \(status) \(text)") }
        return text
    }
}

extension BoardReport {
    /// A student's board after `reports` saves: one more exercise done every third save, the
    /// next one failing, the rest not started.
    static func sample(_ reports: Int, exercises: [String], sequence: Int) -> BoardReport {
        let now = Date()
        let progress = reports / 3
        return BoardReport(
            sequence: sequence, sentAt: now,
            exercises: exercises.enumerated().map { index, name in
                let state: ExerciseState =
                    index < progress ? .done : index == progress ? .failing : .notStarted
                return ExerciseReport(
                    exercise: name, state: state,
                    message: state == .failing ? "expected \"hello\\n\", got \"\"" : nil,
                    changedAt: now)
            })
    }
}
