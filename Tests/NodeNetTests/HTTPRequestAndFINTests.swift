import NodeNet
import TestSupport
import Testing

/// A client that sends its requests and its FIN together (`printf 'GET / …' | nc -N`, a script
/// that writes and shuts down): node 20 answers every request its program answers at once,
/// even at the request's `end`, then ends the connection; an answer still to come when the FIN
/// is read is lost. The HTTP server has no half-open connections (`httpAllowHalfOpen` is off).
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPRequestAndFINTests {
    /// The server's answers to `requests`, sent with the FIN, up to its own FIN.
    private func answers(to requests: String, from server: HTTPServer, port: Int) async throws -> String {
        defer { server.close() }
        return try await waitFor("the server's FIN") { done in
            var received = ""
            let client = net.connect(port, "127.0.0.1")
            client.on(.data) { received += $0.toString() }
            client.on(.end) { done(received) }
            client.end(requests)
        }
    }

    @Test func aRequestSentWithTheFINIsAnsweredAtItsEnd() async throws {
        let (server, port) = try await listeningHTTPServer { req, res in
            req.on(.data) { _ in }
            req.on(.end) { res.end("at the end of \(req.url)") }
        }
        let reply = try await answers(
            to: "POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", from: server, port: port)
        #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(reply)")
        #expect(reply.hasSuffix("\r\n\r\nat the end of /1"), "\(reply)")
    }

    @Test func pipelinedRequestsSentWithTheFINAreEachAnswered() async throws {
        let (server, port) = try await listeningHTTPServer { req, res in
            req.on(.data) { _ in }
            req.on(.end) { res.end("<\(req.url)>") }
        }
        let get = { (path: String) in "GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n" }
        let reply = try await answers(to: get("/1") + get("/2") + get("/3"), from: server, port: port)
        #expect(reply.components(separatedBy: "HTTP/1.1 200 OK\r\n").count == 4, "\(reply)")
        // Each head is followed by its body: the three in order.
        let bodies = reply.components(separatedBy: "\r\n\r\n").dropFirst().map { $0.prefix(4) }
        #expect(bodies == ["</1>", "</2>", "</3>"], "\(reply)")
    }

    /// node 20: the connection is not held open for an answer still to come; the program's
    /// answer, given once the response has closed, is lost.
    @Test func anAnswerStillToComeIsNotWaitedFor() async throws {
        var answered = false
        let (server, port) = try await listeningHTTPServer { _, res in
            res.on(.close) {
                res.end("late")
                answered = true
            }
        }
        let reply = try await answers(to: "GET / HTTP/1.1\r\nHost: x\r\n\r\n", from: server, port: port)
        #expect(reply == "")
        try await waitUntil("the response's close") { answered }
    }
}
