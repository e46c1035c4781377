import NodeNet
import TestSupport
import Testing

/// The bytes a response goes out as, compared with what Node 20 writes for the same handler
/// (recorded from Node; the `Date` value is masked).
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPFramingTests {
    private let keepAlive = "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n"

    private func reply(
        to request: String, _ handler: @escaping @NodeActor (IncomingMessage, ServerResponse) -> Void
    )
        async throws -> RawReply
    {
        let (server, port) = try await listeningHTTPServer(HTTPServerOptions(), handler)
        defer { server.close() }
        // A whole response ends with its body; these handlers all send "hi", "ab" or nothing.
        return try await rawExchange(port, request) { text in
            text.hasSuffix("\r\n\r\nhi") || text.hasSuffix("0\r\n\r\n")
                || text.hasSuffix("\r\n\r\n")
                    && !text.contains("chunked") && !text.contains("Content-Length: 2")
        }
    }

    /// Chapter 3's erratum on §3.2: what the server sends back is a response message, whose
    /// start line is a status line (version, code, reason), not a request line (method, target,
    /// version) like the one it received.
    @Test func theServerAnswersWithAResponseMessage() async throws {
        let reply = try await reply(to: "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n") { _, res in
            res.end("hi")
        }
        let startLine = reply.text.prefix { $0 != "\r\n" }
        #expect(startLine == "HTTP/1.1 200 OK")
        #expect(!startLine.hasPrefix("GET") && !startLine.hasSuffix("HTTP/1.1"))
        #expect(reply.text.hasSuffix("\r\n\r\nhi"))
    }

    @Test func endWithDataSendsContentLength() async throws {
        let reply = try await reply(to: "GET / HTTP/1.1\r\nHost: x\r\n\r\n") { _, res in
            res.setHeader("Content-Type", "text/plain")
            res.setHeader("X-A", ["1", "2"])
            res.end("hi")
        }
        #expect(
            reply.text
                == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: 1\r\nX-A: 2\r\nDate: D\r\n\(keepAlive)Content-Length: 2\r\n\r\nhi"
        )
        #expect(!reply.closed)
    }

    @Test func writeThenEndIsChunked() async throws {
        let reply = try await reply(to: "GET / HTTP/1.1\r\nHost: x\r\n\r\n") { _, res in
            res.write("a")
            res.end("b")
        }
        #expect(
            reply.text
                == "HTTP/1.1 200 OK\r\nDate: D\r\n\(keepAlive)Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n1\r\nb\r\n0\r\n\r\n"
        )
    }

    @Test func writeHeadFixesTheHeadBeforeTheBodyIsKnown() async throws {
        // Node builds the head at writeHead, when the body's length is still unknown: chunked.
        let reply = try await reply(to: "GET / HTTP/1.1\r\nHost: x\r\n\r\n") { _, res in
            res.writeHead(200, ["Content-Type": "text/plain"])
            res.end("hi")
        }
        #expect(
            reply.text
                == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: D\r\n\(keepAlive)Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
        )
    }

    @Test func emptyEndSendsAZeroLength() async throws {
        let reply = try await reply(to: "GET / HTTP/1.1\r\nHost: x\r\n\r\n") { _, res in res.end() }
        #expect(reply.text == "HTTP/1.1 200 OK\r\nDate: D\r\n\(keepAlive)Content-Length: 0\r\n\r\n")
    }

    @Test func headAnd204HaveNoBody() async throws {
        let head = try await reply(to: "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n") { _, res in
            res.setHeader("Content-Type", "text/plain")
            res.end("hi")
        }
        #expect(head.text == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: D\r\n\(keepAlive)\r\n")
        let noContent = try await reply(to: "GET / HTTP/1.1\r\nHost: x\r\n\r\n") { _, res in
            res.statusCode = 204
            res.end()
        }
        #expect(noContent.text == "HTTP/1.1 204 No Content\r\nDate: D\r\n\(keepAlive)\r\n")
    }

    @Test func http10ClosesUnlessAskedAndFramedByLength() async throws {
        let plain = try await reply(to: "GET / HTTP/1.0\r\n\r\n") { _, res in res.end("ok") }
        #expect(plain.text == "HTTP/1.1 200 OK\r\nDate: D\r\nConnection: close\r\n\r\nok")
        #expect(plain.closed)

        let askedButUnframed = try await reply(to: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") {
            _, res in
            res.end("ok")
        }
        #expect(askedButUnframed.text == "HTTP/1.1 200 OK\r\nDate: D\r\nConnection: close\r\n\r\nok")
        #expect(askedButUnframed.closed)

        let askedAndFramed = try await reply(to: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") {
            _, res in
            res.setHeader("Content-Length", "2")
            res.end("hi")
        }
        #expect(
            askedAndFramed.text == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nDate: D\r\n\(keepAlive)\r\nhi")
        #expect(!askedAndFramed.closed)
    }

    @Test func connectionCloseIsHonoured() async throws {
        // "ok" is not a body `reply` stops at: it reads until the server closes.
        let reply = try await reply(to: "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") { _, res in
            res.end("ok")
        }
        #expect(
            reply.text == "HTTP/1.1 200 OK\r\nDate: D\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
        #expect(reply.closed)
    }

    @Test func http11WithoutHostIs400() async throws {
        let reply = try await reply(to: "GET / HTTP/1.1\r\n\r\n") { _, res in res.end("never") }
        #expect(
            reply.text
                == "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nDate: D\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        )
    }

    @Test func headersAreFoldedAsNodeFoldsThem() async throws {
        let request =
            "GET /a?b=1 HTTP/1.1\r\nHost: x\r\nAccept: a\r\naccept: b\r\nContent-Type: one\r\nContent-Type: two\r\n"
            + "Cookie: c=1\r\nCookie: d=2\r\nSet-Cookie: s=1\r\nSet-Cookie: s=2\r\n\r\n"
        let seen: IncomingMessage = try await waitFor("request") { done in
            Task {
                let (server, port) = try await listeningHTTPServer { req, res in
                    res.end("hi")
                    done(req)
                }
                _ = try await rawExchange(port, request) { $0.hasSuffix("hi") }
                server.close()
            }
        }
        #expect(seen.method == "GET")
        #expect(seen.url == "/a?b=1")
        #expect(seen.httpVersion == "1.1")
        #expect(seen.headers["accept"] == "a, b")
        #expect(seen.headers["content-type"] == "one", "a second Content-Type is dropped")
        #expect(seen.headers["cookie"] == "c=1; d=2")
        #expect(seen.headers["set-cookie"] == nil)
        #expect(seen.headersDistinct["set-cookie"] == ["s=1", "s=2"])
        #expect(Array(seen.rawHeaders.prefix(4)) == ["Host", "x", "Accept", "a"])
    }

    @Test func settingHeadersAfterTheyAreSentIsAnError() async throws {
        let error: NodeError = try await waitFor("error") { done in
            Task {
                let (server, port) = try await listeningHTTPServer { _, res in
                    res.on(.error) { done($0) }
                    res.write("a")
                    res.setHeader("X-Late", "1")
                    res.end()
                }
                _ = try await rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") {
                    $0.hasSuffix("0\r\n\r\n")
                }
                server.close()
            }
        }
        #expect(error.code == "ERR_HTTP_HEADERS_SENT")
    }
}
