import NodeNet
import TestSupport
import Testing

/// The malformed-request corpus the runtime is held to was recorded from Node 20: this checks the
/// recording against a live Node server, so the runtime's tests compare with the truth.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPNodeCorpusTests {
    @Test func nodeAnswersTheCorpusAsRecorded() async throws {
        let node = try requirePeer("node")
        let script = """
            const s = require('http').createServer((q, r) => { q.resume(); r.end('ok') });
            s.listen(0, '127.0.0.1', () => console.log('port ' + s.address().port));
            """
        let server = try RunningProgram(node, ["-e", script])
        defer { server.stop() }
        let output = try await server.waitForOutput(containing: "port ")
        let port = try #require(
            Int(output.split(separator: " ").last!.trimmingCharacters(in: .whitespacesAndNewlines)))
        for request in MalformedRequest.corpus {
            let reply = try await rawExchange(port, Buffer(request.bytes)) { text in
                request.staysOpen && text.hasSuffix("\r\n\r\nok")
            }
            let statusLine = reply.text.split(separator: "\r\n").first.map(String.init) ?? ""
            #expect(statusLine == request.statusLine, "\(request.name)")
            #expect(reply.closed == !request.staysOpen, "\(request.name)")
        }
    }
}
