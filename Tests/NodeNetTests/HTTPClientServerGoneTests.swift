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

    /// An upgrade or a tunnel answered and the connection ended at once: the socket is still
    /// handed over, with the bytes after the head, and its `end` is the program's; no "socket
    /// hang up". (Before the FIN was held back, the bytes were lost and the socket never ended.)
    @Test(arguments: [true, false])
    func anEndRightAfterAHandOverAnswerIsTheHandedOverSocketsEnd(tunnel: Bool) async throws {
        let (raw, port) = try await server(
            replying: tunnel
                ? "HTTP/1.1 200 Connection Established\r\n\r\nhi"
                : "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nhi")
        defer { raw.close() }
        let log = EventLog()
        try await waitFor("the handed-over socket's close") { done in
            let options = RequestOptions(
                host: "127.0.0.1", port: port, method: tunnel ? "CONNECT" : "GET",
                path: tunnel ? "example.com:443" : "/",
                headers: tunnel ? [] : [("Connection", "Upgrade"), ("Upgrade", "echo")], agent: nil)
            let req = http.request(options)
            req.on(.error) { error in log.add("req error \(error.code)") }
            req.on(.close) { log.add("req close") }
            req.on(tunnel ? .connect : .upgrade) { res, socket, head in
                log.add("\(res.statusCode) \(head.toString())")
                socket.on(.end) { log.add("socket end") }
                socket.on(.close) { _ in done() }
                socket.resume()
            }
            req.end()
        }
        #expect(log.entries == ["\(tunnel ? 200 : 101) hi", "req close", "socket end"])
    }
}
