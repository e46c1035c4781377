import NodeNet
import TestSupport
import Testing

/// A server that ends the connection before its answer is whole, against `http.request`: the
/// events Node 20's client gives (each case checked with node on 127.0.0.1).
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPClientServerGoneTests {
    /// A raw server that answers the first bytes it reads with `reply`, and ends.
    private func server(replying reply: String) async throws -> (Server, Int) {
        try await listeningServer { socket in
            socket.on(.error) { _ in }
            socket.once(.data) { _ in socket.end(reply) }
        }
    }

    /// The request's events, its response's and its socket's `close`, up to the one named `last`.
    private func events(port: Int, until last: String) async throws -> [String] {
        let log = EventLog()
        try await waitFor(last) { done in
            @NodeActor func add(_ entry: String) {
                log.add(entry)
                if entry == last { done() }
            }
            let req = http.request(RequestOptions(host: "127.0.0.1", port: port, agent: nil)) { res in
                res.on(.aborted) { add("res aborted") }
                res.on(.error) { error in add("res error \(error.code)") }
                res.on(.close) { add("res close") }
                res.resume()
            }
            req.on(.socket) { socket in socket.on(.close) { _ in add("socket close") } }
            req.on(.error) { error in add("req error \(error.code) \(error.message)") }
            req.on(.close) { add("req close") }
            req.end()
        }
        return log.entries
    }

    /// No head, or half of one: "socket hang up", as when nothing came; not a parse error.
    @Test(arguments: ["", "HTTP/1.1 200 OK\r\nContent-Le"])
    func anEndBeforeTheWholeHeadIsASocketHangUp(reply: String) async throws {
        let (raw, port) = try await server(replying: reply)
        defer { raw.close() }
        let events = try await events(port: port, until: "socket close")
        #expect(events == ["req error ECONNRESET socket hang up", "req close", "socket close"])
    }

    /// Half a body: the response is aborted; the request closes with no error of its own.
    @Test func anEndInTheMiddleOfTheBodyAbortsTheResponse() async throws {
        let (raw, port) = try await server(replying: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        defer { raw.close() }
        #expect(
            try await events(port: port, until: "res close") == [
                "res aborted", "req close", "socket close", "res error ECONNRESET", "res close",
            ])
    }
}
