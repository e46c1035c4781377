import NodeNet
import TestSupport
import Testing

/// Request lines without a version (HTTP/0.9 style) or with the version tokens `HTTP/0.9` and
/// `HTTP/2.0`. Node 20's parser answers them `200`; SwiftNIO's decoder refuses every major
/// version but 1, so NodeNet answers `400` and closes, on purpose (Chapters/03-http/README.md
/// says why). Both answers are checked here: ours, and that Node's really differs.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPVersionTests {
    static let requests = [
        "GET /\r\n\r\n",
        "GET / HTTP/0.9\r\n\r\n",
        "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
    ]

    @Test func nodeNetAnswers400AndKeepsServing() async throws {
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        var errors: [String] = []
        server.on(.clientError) { error, socket in
            errors.append(error.code)
            socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
        }
        for request in Self.requests {
            let reply = try await rawExchange(port, request)
            #expect(
                reply.text == "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n",
                "\(request.debugDescription)")
            #expect(reply.closed)
        }
        #expect(errors == Array(repeating: "HPE_INVALID_VERSION", count: 3))
        try await expectStillServes(port)
    }

    @Test func nodeAnswersThem200() async throws {
        let node = try requirePeer("node")
        let script = """
            const http = require('http'), net = require('net');
            const requests = [\(Self.requests.map { $0.debugDescription }.joined(separator: ", "))];
            const server = http.createServer((req, res) => res.end('ok')).listen(0, '127.0.0.1', async () => {
              for (const request of requests) {
                await new Promise(done => {
                  const socket = net.connect(server.address().port, '127.0.0.1', () => socket.write(request));
                  let reply = '';
                  socket.on('data', d => reply += d);
                  socket.on('close', () => { console.log(reply.split('\\r\\n')[0]); done(); });
                });
              }
              server.close();
            });
            """
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try await runPeer(node, ["-e", script], in: directory.url)
        #expect(run.output == String(repeating: "HTTP/1.1 200 OK\n", count: 3), "\(run)")
    }
}
