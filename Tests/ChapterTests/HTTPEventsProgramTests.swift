import Foundation
import NodeNet
import TestSupport
import Testing

/// `http-events` as a user runs it, with real clients: curl, Node's http module, and the Swift
/// client against Node's twin of the server.
@Suite(.timeLimit(.minutes(2)))
struct HTTPEventsProgramTests {
    private let twins = repositoryRoot.appendingPathComponent("Chapters/03-http/node")

    /// The server on a free port, and that port.
    private func startServer() async throws -> (RunningProgram, Int) {
        let server = try RunningProgram.built("http-events", ["--port", "0"])
        let output = try await server.waitForOutput(containing: "listening on")
        let match = try #require(output.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)\//))
        return (server, try #require(Int(match.1)))
    }

    /// Runs curl with `arguments`; its output and its verbose log together.
    private func curl(_ arguments: [String]) async throws -> String {
        let curl = try requirePeer("curl")
        let run = try RunningProgram(
            curl, ["--silent", "--show-error", "--verbose", "--max-time", "10"] + arguments)
        _ = try await run.waitForExit()
        return run.standardOutput + run.standardError
    }

    @Test func curlSeesOneConnectionForTwoKeptAliveRequests() async throws {
        let (server, port) = try await startServer()
        defer { server.stop() }
        let output = try await curl(["--http1.1", "http://127.0.0.1:\(port)/a", "http://127.0.0.1:\(port)/b"])
        #expect(output.contains("Re-using existing connection"))
        #expect(output.contains("request 2 on connection #1"))
        let log = try await server.waitForOutput(containing: "closed after 2 request(s)")
        #expect(log.components(separatedBy: "connection #").count - 1 == 2, "one opened, one closed: \(log)")
    }

    @Test func curlHTTP10GetsConnectionClose() async throws {
        let (server, port) = try await startServer()
        defer { server.stop() }
        let output = try await curl(["--http1.0", "http://127.0.0.1:\(port)/"])
        #expect(output.contains("< Connection: close"))
        #expect(!output.contains("Content-Length"))
        #expect(output.contains("hello from http-events"))
    }

    @Test func curlExpectContinueAcceptedAndRefused() async throws {
        let (server, port) = try await startServer()
        defer { server.stop() }
        let small = try await curl([
            "-H", "Expect: 100-continue", "--data-binary", "hello", "http://127.0.0.1:\(port)/upload",
        ])
        #expect(small.contains("< HTTP/1.1 100 Continue"))
        #expect(small.contains("received 5 bytes"))
        let big = try await curl([
            "-H", "Expect: 100-continue", "--data-binary", String(repeating: "x", count: 4096),
            "http://127.0.0.1:\(port)/upload",
        ])
        #expect(big.contains("< HTTP/1.1 417 Expectation Failed"))
        #expect(!big.contains("100 Continue"))
        _ = try await server.waitForOutput(containing: "(Content-Length: 4096) → 417")
    }

    @Test func curlTunnelsThroughConnect() async throws {
        let (server, port) = try await startServer()
        defer { server.stop() }
        // The server is its own proxy target: curl opens a tunnel to it, then GETs through it.
        let output = try await curl([
            "-p", "-x", "http://127.0.0.1:\(port)", "http://127.0.0.1:\(port)/through-the-tunnel",
        ])
        #expect(output.contains("200 Connection Established"))
        #expect(output.contains("hello from http-events"))
        _ = try await server.waitForOutput(containing: "request #2 GET /through-the-tunnel HTTP/1.1")
    }

    /// `printf 'GET /nc HTTP/1.1…' | nc -N`: the request and the FIN together. The server
    /// answers at the request's `end`, as Node's twin does, then ends the connection.
    @Test func aRequestSentWithItsFINIsAnswered() async throws {
        let (server, port) = try await startServer()
        defer { server.stop() }
        let client = try PlainTCPClient(port: port)
        client.send("GET /nc HTTP/1.1\r\nHost: x\r\n\r\n")
        client.finishWriting()
        let reply = String(decoding: client.receive(4096), as: UTF8.self)
        #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(reply)")
        #expect(reply.hasSuffix("\r\n\r\nhello from http-events: request 1 on connection #1\n"), "\(reply)")
    }

    @Test func curlBadMethodIsAClientError() async throws {
        let (server, port) = try await startServer()
        defer { server.stop() }
        let output = try await curl(["-X", "FOO", "http://127.0.0.1:\(port)/"])
        #expect(output.contains("< HTTP/1.1 400 Bad Request"))
        _ = try await server.waitForOutput(containing: "clientError #1 HPE_INVALID_METHOD → 400")
    }

    @Test func nodesClientTalksToTheSwiftServer() async throws {
        let node = try requirePeer("node")
        let (server, port) = try await startServer()
        defer { server.stop() }
        let script = """
            const http = require('http');
            const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
            const get = (path) => new Promise((done) => http.get({ port: \(port), host: '127.0.0.1', path, agent }, (res) => {
              let body = ''; res.on('data', (d) => body += d); res.on('end', () => done(res.statusCode + ' ' + body.trim()));
            }));
            (async () => {
              console.log(await get('/one')); console.log(await get('/two'));
              const req = http.request({ port: \(port), host: '127.0.0.1', method: 'POST', path: '/upload',
                headers: { Expect: '100-continue', 'Content-Length': 3 } }, (res) => {
                let body = ''; res.on('data', (d) => body += d); res.on('end', () => { console.log(res.statusCode + ' ' + body.trim()); agent.destroy(); });
              });
              req.on('continue', () => { console.log('continue'); req.end('abc'); });
            })();
            """
        let client = try RunningProgram(node, ["-e", script])
        #expect(try await client.waitForExit() == 0, "\(client.standardError)")
        #expect(
            client.standardOutput
                == """
                200 hello from http-events: request 1 on connection #1
                200 hello from http-events: request 2 on connection #1
                continue
                200 received 3 bytes

                """)
    }

    /// Ports and dates differ from run to run; the rest must not.
    private func masked(_ text: String) -> String {
        withoutDate(text.replacing(/:\d{2,5}/, with: ":PORT"))
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("Date: ") ? "Date: D⏎" : String($0) }
            .joined(separator: "\n")
    }

    private func sameOutput(_ arguments: [String], twin: String) async throws {
        let node = try requirePeer("node")
        let swift = try RunningProgram.built("http-events", arguments)
        let nodeTwin = try RunningProgram(node, [twins.appendingPathComponent(twin).path])
        #expect(try await swift.waitForExit() == 0, "\(swift.standardError)")
        #expect(try await nodeTwin.waitForExit() == 0, "\(nodeTwin.standardError)")
        #expect(masked(swift.standardOutput) == masked(nodeTwin.standardOutput))
        #expect(swift.standardOutput.contains("HTTP/1.1"), "the programs ran: \(swift.standardOutput)")
    }

    @Test func theDemoPrintsWhatNodesDemoPrints() async throws {
        try await sameOutput(["demo"], twin: "demo.js")
    }

    @Test func theWirePrintsWhatNodesWirePrints() async throws {
        try await sameOutput(["wire"], twin: "wire.js")
    }

    /// Drives a fresh Swift server with one client; the client's output and the server's log.
    private func drive(_ client: (Int) throws -> RunningProgram) async throws -> (
        client: String, server: String
    ) {
        let (server, port) = try await startServer()
        defer { server.stop() }
        let run = try client(port)
        #expect(try await run.waitForExit() == 0, "\(run.standardError)")
        let log = try await server.waitForOutput(containing: "connection #8 closed")
        return (masked(run.standardOutput), masked(log))
    }

    @Test func theSwiftClientPrintsWhatNodesClientPrints() async throws {
        let node = try requirePeer("node")
        let swift = try await drive { port in
            try RunningProgram.built("http-events", ["client", "--url", "http://127.0.0.1:\(port)"])
        }
        let twin = try await drive { port in
            try RunningProgram(
                node,
                [self.twins.appendingPathComponent("client.js").path, "--url", "http://127.0.0.1:\(port)"])
        }
        #expect(swift.client == twin.client)
        #expect(swift.client.contains("client: through the tunnel: ping"), "the client ran: \(swift.client)")
        // The server's lines for neighbouring connections may interleave either way; the set must match.
        #expect(swift.server.split(separator: "\n").sorted() == twin.server.split(separator: "\n").sorted())
    }

    @Test func theSwiftClientDrivesNodesTwinServer() async throws {
        let node = try requirePeer("node")
        let server = try RunningProgram(
            node, [twins.appendingPathComponent("server.js").path, "0", "127.0.0.1"])
        defer { server.stop() }
        let output = try await server.waitForOutput(containing: "listening on")
        let match = try #require(output.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)\//))
        let client = try RunningProgram.built(
            "http-events", ["client", "--url", "http://127.0.0.1:\(match.1)"])
        #expect(try await client.waitForExit() == 0, "\(client.standardError)")
        let expected = [
            "client: GET /second → 200 OK: hello from http-events: request 2 on connection #1",
            "client: POST /upload → 200 OK: received 5 bytes",
            "client: POST /upload → 417 Expectation Failed",
            "client: GET / → 417 Expectation Failed",
            "client: through the tunnel: ping",
            "client: echoed: hello, raw bytes",
            "client: FOO / → 400 Bad Request",
            "client: GET / → 431 Request Header Fields Too Large",
        ]
        for line in expected { #expect(client.standardOutput.contains(line), "missing: \(line)") }
        _ = try await server.waitForOutput(containing: "clientError #8 HPE_HEADER_OVERFLOW")
    }
}
