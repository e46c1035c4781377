import Foundation
import TestSupport
import Testing

/// The bench's raw SwiftNIO servers print what their chapter programs print, line for line, so
/// that the bench's third column is the same program on a thinner layer (README, Performance).
/// Each test sends the chapter program and its raw twin the same bytes and compares what they
/// printed, peers' ports aside.
@Suite(.timeLimit(.minutes(2)))
struct RawServerOutputTests {
    /// A server, and the port the line it prints once it listens names.
    private func start(_ program: String, _ arguments: [String], port: Regex<(Substring, Substring)>)
        async throws -> (RunningProgram, Int)
    {
        let server = try RunningProgram.built(program, arguments)
        let output = try await server.wait("its port") { $0.output.contains(port) }
        let match = try #require(output.output.firstMatch(of: port), "no port in: \(output.output)")
        return (server, try #require(Int(match.1)))
    }

    private func rawServer(_ kind: String) async throws -> (RunningProgram, Int) {
        try await start("bench", ["raw-server", kind, "--port", "0"], port: /raw NIO listening on (\d+)/)
    }

    /// The lines `server` printed that `keep` picks, each peer's port written as PORT.
    private func lines(of server: RunningProgram, _ keep: (Substring) -> Bool) -> [String] {
        server.standardOutput.split(separator: "\n").filter(keep).map {
            String($0.replacing(/127\.0\.0\.1:\d+/, with: "127.0.0.1:PORT"))
        }
    }

    @Test func theRawHTTPServerPrintsHTTPEventsLines() async throws {
        var printed: [[String]] = []
        for (server, port) in [
            try await start(
                "http-events", ["--port", "0"], port: /listening on http:\/\/127\.0\.0\.1:(\d+)\//),
            try await rawServer("http"),
        ] {
            defer { server.stop() }
            let client = try PlainTCPClient(port: port)
            client.send("GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            _ = try await server.waitForOutput(containing: "closed after 1 request(s)")
            printed.append(lines(of: server) { $0.hasPrefix("connection #") || $0.hasPrefix("request #") })
        }
        #expect(
            printed[0] == [
                "connection #1 from 127.0.0.1:PORT", "request #1 GET /x HTTP/1.1",
                "connection #1 closed after 1 request(s)",
            ])
        #expect(printed[1] == printed[0])
    }

    @Test func theRawUDPServerPrintsUDPSocketsLine() async throws {
        var printed: [[String]] = []
        for (server, port) in [
            try await start(
                "udp-socket", ["--port", "0", "--host", "127.0.0.1"], port: /server listening [\d.]+:(\d+)/),
            try await rawServer("udp"),
        ] {
            defer { server.stop() }
            #expect(PlainUDPClient().exchange("hello", port: port) == "你好, hello")
            _ = try await server.waitForOutput(containing: "(5 bytes)")
            printed.append(lines(of: server) { $0.hasPrefix("server got:") })
        }
        #expect(printed[0] == ["server got: hello from 127.0.0.1:PORT (5 bytes)"])
        #expect(printed[1] == printed[0])
    }

    @Test func theRawWebSocketServerPrintsWebsocketsLines() async throws {
        var printed: [[String]] = []
        for (server, port) in [
            try await start(
                "websocket", ["--port", "0"], port: /ws:\/\/127\.0\.0\.1:(\d+)\/updates/),
            try await rawServer("websocket"),
        ] {
            defer { server.stop() }
            let client = try PlainTCPClient(port: port)
            client.send(RawWebSocket.handshake(path: "/updates"))
            client.send(RawWebSocket.text(#"{"update":1}"#))
            _ = try await server.waitForOutput(containing: "text (12 bytes)")
            printed.append(lines(of: server) { $0.hasPrefix("connection #") || $0.hasPrefix("#1 text") })
        }
        #expect(
            printed[0] == [
                "connection #1 from 127.0.0.1:PORT, subprotocol: none", #"#1 text (12 bytes): {"update":1}"#,
            ])
        #expect(printed[1] == printed[0])
    }
}
