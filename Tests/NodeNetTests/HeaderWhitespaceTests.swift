import NodeNet
import TestSupport
import Testing

/// Spaces and tabs around a header value are not part of it (RFC 9110 §5.5): llhttp drops them,
/// so Node's `headers` and `rawHeaders` never hold them, and `Expect`, `Content-Length` and a
/// WebSocket's key are read without them. SwiftNIO's decoder keeps the ones at a value's end.
/// Each expectation is node 20's answer to the same bytes on 127.0.0.1.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HeaderWhitespaceTests {
    @Test func aRequestsValuesAreTrimmedInHeadersAndRawHeaders() async throws {
        let (server, port) = try await listeningHTTPServer { req, res in
            let headers = req.headers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            res.end("\(headers.joined(separator: "|")) \(req.rawHeaders.joined(separator: "|")) .")
        }
        defer { server.close() }
        let head =
            "GET / HTTP/1.1\r\nHost: x\r\nX-A: a \t \r\nX-B:  \t b\r\nX-C: c d  \r\nX-E:\t\r\n"
            + "X-A: a2 \r\n\r\n"
        let reply = try await rawExchange(port, head) { $0.hasSuffix(" .") }
        let body = reply.text.split(separator: "\r\n\r\n").last.map(String.init)
        #expect(
            body == "host=x|x-a=a, a2|x-b=b|x-c=c d|x-e= Host|x|X-A|a|X-B|b|X-C|c d|X-E||X-A|a2 .",
            "\(reply.text)")
    }

    @Test func anExpectWithATrailingSpaceIsStillAskedToContinue() async throws {
        let (server, port) = try await listeningHTTPServer { req, res in
            req.on(.data) { _ in }
            req.on(.end) { res.end("ok") }
        }
        defer { server.close() }
        let head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2 \r\nExpect: 100-continue \t\r\n\r\n"
        let reply = try await rawExchange(port, head) { $0.contains("\r\n\r\n") }
        #expect(reply.text.hasPrefix("HTTP/1.1 100 Continue\r\n\r\n"), "\(reply.text)")
    }

    @Test func aWebSocketKeyAndVersionWithTrailingWhitespaceAreAccepted() async throws {
        let (server, port) = try await listeningHTTPServer { _, res in res.end() }
        _ = WebSocketServer(server: server)
        defer { server.close() }
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        let reply = try await rawExchange(
            port,
            "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket \r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: \(key) \t\r\nSec-WebSocket-Version: 13 \r\n\r\n"
        ) { $0.contains("\r\n\r\n") }
        #expect(reply.text.hasPrefix("HTTP/1.1 101 "), "\(reply.text)")
        #expect(reply.text.contains("Sec-WebSocket-Accept: \(WebSocketHandshake.accept(for: key))\r\n"))
    }

    @Test func aResponsesValuesAreTrimmed() async throws {
        let (server, port) = try await listeningServer { socket in
            socket.on(.data) { _ in
                socket.end("HTTP/1.1 200 OK\r\nX-A: a \t\r\nX-B:\t b\r\nContent-Length: 2 \r\n\r\nok")
            }
        }
        defer { server.close() }
        let res: IncomingMessage = try await waitFor("the response") { done in
            http.request(RequestOptions(host: "127.0.0.1", port: port, agent: nil), done).end()
        }
        #expect(res.headers == ["x-a": "a", "x-b": "b", "content-length": "2"])
        #expect(res.rawHeaders == ["X-A", "a", "X-B", "b", "Content-Length", "2"])
    }

    @Test func aWebSocketClientAcceptsAnAcceptValueWithATrailingSpace() async throws {
        let (server, port) = try await listeningServer { socket in
            var head = ""
            socket.on(.data) { chunk in
                head += chunk.toString()
                guard head.hasSuffix("\r\n\r\n") else { return }
                let name = "sec-websocket-key: "
                let line = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name) }
                let key = String(line?.dropFirst(name.count) ?? "")
                socket.write(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: \(WebSocketHandshake.accept(for: key)) \r\n\r\n")
            }
            socket.on(.error) { _ in }
        }
        defer { server.close() }
        let opened: Bool = try await waitFor("the client's open or error") { done in
            let client = WebSocket("ws://127.0.0.1:\(port)/")
            client.on(.open) {
                done(true)
                client.terminate()
            }
            client.on(.error) { _ in done(false) }
        }
        #expect(opened)
    }
}
