import ClassroomStudent
import ClassroomWire
import Foundation
import NodeNet
import Synchronization

/// A server's whole answer.
struct Answer: Sendable {
    /// The status code.
    var status: Int
    /// The body.
    var body: [UInt8]

    /// The `message` of an `ErrorBody`, else the start of the body.
    var errorMessage: String {
        let text = String(decoding: body.prefix(500), as: UTF8.self)
        return (try? ClassroomJSON.decoder().decode(ErrorBody.self, from: Data(body)))?.message ?? text
    }
}

/// Why an exchange gave no answer.
enum ExchangeFailure: Error, Sendable {
    /// The connection or TLS failed (Node's error: `ECONNREFUSED`, `ERR_TLS_CERT_ALTNAME_INVALID`…).
    case network(NodeError)
    /// No whole answer within the limit.
    case timedOut(milliseconds: Int)
    /// The answer was larger than the limit.
    case tooLarge(bytes: Int)
}

/// One HTTPS request and its answer, on a connection of its own, within `Limits`: it ends by the
/// deadline whatever the server does, and never holds more than `maxAnswerBytes` of its answer.
@NodeActor final class Exchange {
    private let limits: Limits
    private let done: @NodeActor (Result<Answer, ExchangeFailure>) -> Void
    private var request: ClientRequest?
    private var deadline: Timeout?
    private var body: [UInt8] = []
    private var settled = false

    private init(limits: Limits, done: @escaping @NodeActor (Result<Answer, ExchangeFailure>) -> Void) {
        self.limits = limits
        self.done = done
    }

    /// Sends `method path` with `body` to `address` over TLS with `tls`, and waits for the answer.
    static func run(
        _ method: String, _ path: String, to address: ClassroomAddress, body: [UInt8] = [],
        headers: [(String, String)] = [], tls: TLSOptions, limits: Limits
    ) async -> Result<Answer, ExchangeFailure> {
        await until { done in
            Exchange(limits: limits, done: done).start(
                method, path, to: address, body: body, headers: headers, tls: tls)
        }
    }

    private func start(
        _ method: String, _ path: String, to address: ClassroomAddress, body: [UInt8],
        headers: [(String, String)],
        tls: TLSOptions
    ) {
        // No agent: the connection is closed after the answer, so nothing keeps the program alive.
        var options = RequestOptions(
            host: address.host, port: address.port, method: method, path: path, headers: headers, agent: nil)
        options.tls = tls
        let request = https.request(options) { response in self.read(response) }
        self.request = request
        request.on(.error) { error in self.finish(.failure(.network(error))) }
        deadline = setTimeout(limits.exchangeMilliseconds) {
            self.finish(.failure(.timedOut(milliseconds: self.limits.exchangeMilliseconds)))
        }
        request.end(body.isEmpty ? nil : Buffer(body))
    }

    private func read(_ response: IncomingMessage) {
        let limit = limits.maxAnswerBytes
        if let length = response.headers["content-length"].flatMap({ Int($0) }), length > limit {
            return finish(.failure(.tooLarge(bytes: limit)))
        }
        response.on(.data) { chunk in
            self.body += chunk.bytes
            if self.body.count > limit { self.finish(.failure(.tooLarge(bytes: limit))) }
        }
        response.on(.end) { self.finish(.success(Answer(status: response.statusCode, body: self.body))) }
        response.on(.aborted) {
            self.finish(.failure(.network(NodeError(code: "ECONNRESET", message: "the answer was cut off"))))
        }
    }

    private func finish(_ result: Result<Answer, ExchangeFailure>) {
        guard !settled else { return }
        settled = true
        clearTimeout(deadline)
        if case .failure = result { request?.destroy() }
        body = []
        done(result)
    }
}

/// Runs `work` on NodeNet's loop until it is done and nothing holds the loop, and returns its result.
func onTheLoop<T: Sendable>(_ work: @escaping @NodeActor () async -> T) -> T {
    let result = Mutex<T?>(nil)
    _ = Node.runUntilIdle { () async -> Void in
        let value = await work()
        result.withLock { $0 = value }
    }
    return result.withLock { $0 }!
}

/// What a failed exchange means, in words a student can act on.
func explain(_ failure: ExchangeFailure, at address: ClassroomAddress) -> String {
    switch failure {
    case .timedOut(let milliseconds):
        return
            "\(address) did not answer within \(milliseconds / 1000) s: is the teacher's server running, and are you on its network?"
    case .tooLarge(let bytes):
        return
            "\(address) answered with more than \(bytes) bytes: that is not how the classroom server answers."
    case .network(let error):
        switch error.code {
        case "ECONNREFUSED":
            return
                "Nothing answers at \(address) (connection refused): is the teacher's server running, and is the address right?"
        case "ENOTFOUND", "EAI_AGAIN":
            return "The host \(address.host) was not found: check the address."
        case "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT":
            return
                "\(address.host) cannot be reached from here (\(error.code)): are you on the teacher's network?"
        case "ECONNRESET", "EPIPE":
            return "\(address) closed the connection before answering (\(error.code))."
        default:
            return "The TLS connection to \(address) was refused: \(error.message) (\(error.code))."
        }
    }
}
