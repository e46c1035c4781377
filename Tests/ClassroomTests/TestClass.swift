import ClassroomServer
import ClassroomWire
import Foundation
import NodeNet
import TestSupport
import Testing

/// The exercises every test class has (the board's columns).
let testExercises = ["greet-and-reply", "line-splitter", "datagram-echo", "accept-key"]

/// The package's root, where `Exercises/kata.json` is.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A classroom server on a free loopback port, with its class in a fresh folder.
@NodeActor final class TestClass {
    let folder: URL
    private(set) var server: ClassroomServer
    private(set) var ca: String

    /// Starts a server (in `folder`, if given: a restart on the same class).
    init(folder: URL? = nil, configure: (inout ClassroomOptions) -> Void = { _ in }) async throws {
        let folder =
            folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("classroom-\(UUID())")
        self.folder = folder
        var options = ClassroomOptions(
            folder: folder, exercises: testExercises, port: 0, host: "127.0.0.1",
            certificateHosts: ["127.0.0.1"])
        configure(&options)
        server = try await ClassroomServer.start(options)
        ca = server.keys.caPEM
    }

    var port: Int { server.port }
    var teacher: String { server.teacherToken }

    /// Stops the server; the folder stays for a restart.
    func stop() async { await server.close() }

    /// Stops the server and removes the folder.
    func finish() async {
        await server.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// One request over HTTPS trusting only the class CA: the status and the body.
    func call(
        _ method: String, _ path: String, token: String? = nil, body: [UInt8]? = nil,
        headers: [(String, String)] = []
    ) async throws -> (status: Int, body: String) {
        try await classroomCall(port: port, ca: ca, method, path, token: token, body: body, headers: headers)
    }

    /// Joins as `name`; returns the student's token.
    func join(_ name: String) async throws -> String {
        let answer = try await call(
            "POST", ClassroomRoute.join, body: encoded(JoinRequest(name: name, code: server.joinCode)))
        #expect(answer.status == 201, "\(answer.body)")
        return try ClassroomJSON.decoder().decode(JoinResponse.self, from: Data(answer.body.utf8)).token
    }

    /// Sends a report; returns the status and, for a 200, the acknowledgement.
    func report(_ token: String, _ report: BoardReport) async throws -> (
        status: Int, ack: ReportAck?, body: String
    ) {
        let answer = try await call("PUT", ClassroomRoute.report, token: token, body: encoded(report))
        let ack =
            answer.status == 200
            ? try ClassroomJSON.decoder().decode(ReportAck.self, from: Data(answer.body.utf8)) : nil
        return (answer.status, ack, answer.body)
    }

    /// The board, as the teacher gets it.
    func board() async throws -> ClassBoard {
        let answer = try await call("GET", ClassroomRoute.board, token: teacher)
        #expect(answer.status == 200, "\(answer.body)")
        return try ClassroomJSON.decoder().decode(ClassBoard.self, from: Data(answer.body.utf8))
    }
}

/// One request to a classroom server on `port`, trusting only `ca`.
@NodeActor func classroomCall(
    port: Int, ca: String, _ method: String, _ path: String, token: String? = nil, body: [UInt8]? = nil,
    headers: [(String, String)] = []
) async throws -> (status: Int, body: String) {
    var options = RequestOptions(host: "localhost", port: port, method: method, path: path)
    options.agent = nil
    options.tls = TLSOptions(ca: [ca])
    options.headers = headers
    if let token { options.headers.append(("Authorization", "Bearer \(token)")) }
    if let body { options.headers.append(("Content-Length", "\(body.count)")) }
    let result: Result<(status: Int, body: String), NodeError> = try await waitFor("\(method) \(path)") {
        done in
        let request = https.request(options) { res in
            var bytes: [UInt8] = []
            res.on(.data) { bytes += $0.bytes }
            res.on(.end) { done(.success((res.statusCode, String(decoding: bytes, as: UTF8.self)))) }
        }
        request.on(.error) { done(.failure($0)) }
        if let body { request.write(Buffer(body)) }
        request.end()
    }
    return try result.get()
}

/// `value` as the wire's JSON.
func encoded(_ value: some Encodable) -> [UInt8] {
    [UInt8]((try? ClassroomJSON.encoder().encode(value)) ?? Data())
}

/// A report of `states` (exercise → state), failing ones with a message; dates to the second,
/// as ISO 8601 carries them.
func boardReport(_ sequence: Int, _ states: [String: ExerciseState], message: String = "expected hi")
    -> BoardReport
{
    let at = Date(timeIntervalSince1970: 1_780_000_000 + Double(sequence))
    return BoardReport(
        sequence: sequence, sentAt: at,
        exercises: states.sorted { $0.key < $1.key }.map {
            ExerciseReport(
                exercise: $0.key, state: $0.value, message: $0.value == .failing ? message : nil,
                changedAt: at)
        })
}
