import NodeNet
import TestSupport
import Testing

/// Each malformed request gets Node 20's answer, and the server goes on serving others.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPMalformedRequestTests {
    @Test(arguments: MalformedRequest.corpus)
    func answeredAsNodeAnswers(_ request: MalformedRequest) async throws {
        let (server, port) = try await listeningHTTPServer { req, res in
            req.resume()
            res.end("ok")
        }
        let reply = try await rawExchange(port, Buffer(request.bytes)) { text in
            request.staysOpen && text.hasSuffix("\r\n\r\nok")
        }
        let statusLine = reply.text.split(separator: "\r\n").first.map(String.init) ?? ""
        #expect(statusLine == request.statusLine)
        #expect(reply.closed == !request.staysOpen)
        if request.statusLine.hasPrefix("HTTP/1.1 400") {
            #expect(reply.text == "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
        }
        let next = try await rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") { $0.hasSuffix("ok") }
        #expect(next.text.hasPrefix("HTTP/1.1 200 OK"), "the server still serves a good request afterwards")
        server.close()
    }
}
