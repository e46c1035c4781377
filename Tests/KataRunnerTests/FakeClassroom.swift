import ClassroomWire
import Foundation
import NodeNet
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A teacher's classroom server as small as the contract (`ClassroomWire`) allows, over real HTTPS
/// on a free loopback port: it serves its CA, joins students by code, stores reports by sequence
/// and acknowledges them. It can also misbehave, as a hostile or broken server would.
@NodeActor final class FakeClassroom {
    /// How it answers a report.
    enum Behaviour {
        /// As the contract says.
        case classroom
        /// Reads the request and never answers.
        case neverAnswers
        /// Answers one byte every 100 ms, forever.
        case drips
        /// Answers 64 KiB chunks for as long as the client reads them.
        case floods
    }

    nonisolated static let code = "falcon-42"
    let certificates: TestCertificates
    var behaviour = Behaviour.classroom
    /// What it serves at `/ca.pem` (its own CA unless a test changes it).
    var servedCA: String
    private(set) var port = 0
    /// Every join attempt that reached it.
    private(set) var joinAttempts = 0
    /// Every report request that reached it.
    private(set) var reportAttempts = 0
    /// The reports it stored, in the order they arrived.
    private(set) var stored: [BoardReport] = []
    /// Bytes a flood wrote before the client closed the connection; nil while it writes.
    private(set) var floodEndedAfter: Int?
    private var tokens: [String: String] = [:]
    private var highest: [String: Int] = [:]
    private var server: HTTPSServer?
    /// While it is down: a socket bound to its port and not listening, so that connecting is
    /// refused, as to a server that is not running, and no other test's server takes the port.
    private var portHold: Int32?
    private var watchers: [() -> Bool] = []

    init(certificates: TestCertificates) {
        self.certificates = certificates
        servedCA = certificates.caCert
    }

    /// `https://127.0.0.1:PORT`.
    var address: String { "https://127.0.0.1:\(port)" }

    /// The fingerprint of the CA it serves.
    var fingerprint: String { (try? X509Certificate(pem: servedCA).fingerprint256) ?? "" }

    /// Starts listening on `port` (0: a free one; a restart passes its old one).
    func start(port: Int = 0) async throws {
        let server = try https.createServer(
            TLSOptions(key: certificates.serverKey, cert: certificates.serverCert)
        ) { request, response in self.handle(request, response) }
        self.server = server
        // The hold lets go just before the listen (a bound socket would be in the way).
        if let portHold { Glibc.close(portHold) }
        portHold = nil
        let failure: NodeError? = try await waitFor("the classroom listening") { done in
            server.once(.error) { done($0) }
            server.listen(port, "127.0.0.1") { done(nil) }
        }
        if let failure { throw failure }
        self.port = server.address()!.port
    }

    /// Stops listening and closes every connection, as a server that goes down.
    func stop() async throws {
        guard let server else { return }
        self.server = nil
        server.closeAllConnections()
        try await waitFor("the classroom closed") { done in server.close { _ in done() } }
        // `close` calls back before the listening socket is gone: the port is held as soon as
        // it is free (tried every 20 ms: no event says so).
        let port = port
        portHold = try await waitFor("the port free") { done in
            @NodeActor func attempt() {
                if let descriptor = Self.hold(port) { return done(descriptor) }
                setTimeout(20) { attempt() }
            }
            attempt()
        }
    }

    /// A socket bound to 127.0.0.1:`port` (address reuse on, as the server's own), not listening.
    private static func hold(_ port: Int) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var on: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            Glibc.close(descriptor)
            return nil
        }
        return descriptor
    }

    /// Closes it at the end of a test, without waiting.
    func close() {
        server?.closeAllConnections()
        server?.close()
        server = nil
        if let portHold { Glibc.close(portHold) }
        portHold = nil
    }

    /// Forgets every token, as a classroom started afresh.
    func forgetTokens() { tokens = [:] }

    /// Waits until `condition` holds (checked now and after every request).
    func until(_ what: String, seconds: Int = 45, _ condition: @escaping () -> Bool) async throws {
        try await waitFor(what, seconds: seconds) { done in
            if condition() { return done() }
            self.watchers.append {
                guard condition() else { return false }
                done()
                return true
            }
        }
    }

    private func changed() {
        watchers.removeAll { $0() }
    }

    private func handle(_ request: IncomingMessage, _ response: ServerResponse) {
        var body: [UInt8] = []
        request.on(.data) { body += $0.bytes }
        request.on(.end) {
            self.route(request, body, response)
            self.changed()
        }
    }

    private func route(_ request: IncomingMessage, _ body: [UInt8], _ response: ServerResponse) {
        switch (request.method, request.url) {
        case ("GET", ClassroomRoute.caCertificate):
            response.end(servedCA)
        case ("POST", ClassroomRoute.join):
            joinAttempts += 1
            guard let join = try? ClassroomJSON.decoder().decode(JoinRequest.self, from: Data(body)) else {
                return answer(response, 400, ErrorBody(error: "bad-json", message: "not a join request"))
            }
            guard join.code == Self.code else {
                return answer(
                    response, 401, ErrorBody(error: "bad-code", message: "that is not this class's code"))
            }
            let token = UUID().uuidString
            tokens[token] = join.name
            answer(response, 201, JoinResponse(name: join.name, token: token))
        case ("PUT", ClassroomRoute.report):
            reportAttempts += 1
            report(request, body, response)
        default:
            answer(response, 404, ErrorBody(error: "not-found", message: "no such route"))
        }
    }

    private func report(_ request: IncomingMessage, _ body: [UInt8], _ response: ServerResponse) {
        switch behaviour {
        case .classroom: break
        case .neverAnswers: return
        case .drips:
            response.writeHead(200, ["Content-Type": "application/json"])
            let drip = setInterval(100) { response.write("{") }
            response.on(.close) { clearInterval(drip) }
            return
        case .floods:
            response.writeHead(200, ["Content-Type": "application/json"])
            var written = 0
            func flood() {
                while floodEndedAfter == nil {
                    written += 65_536
                    guard response.write(Buffer([UInt8](repeating: 0x20, count: 65_536))) else { return }
                }
            }
            response.on(.drain) { flood() }
            response.on(.close) {
                self.floodEndedAfter = written
                self.changed()
            }
            return flood()
        }
        let header = request.headers["authorization"] ?? ""
        guard header.hasPrefix("Bearer "), let name = tokens[String(header.dropFirst("Bearer ".count))] else {
            return answer(response, 401, ErrorBody(error: "bad-token", message: "unknown token"))
        }
        guard let report = try? ClassroomJSON.decoder().decode(BoardReport.self, from: Data(body)) else {
            return answer(response, 400, ErrorBody(error: "bad-json", message: "not a report"))
        }
        let isNewer = report.sequence > highest[name, default: 0]
        if isNewer {
            highest[name] = report.sequence
            stored.append(report)
        }
        answer(response, 200, ReportAck(sequence: highest[name, default: 0], stored: isNewer))
    }

    private func answer(_ response: ServerResponse, _ status: Int, _ value: some Encodable) {
        response.statusCode = status
        _ = response.setHeader("Content-Type", "application/json")
        response.end(String(decoding: (try? ClassroomJSON.encoder().encode(value)) ?? Data(), as: UTF8.self))
    }
}
