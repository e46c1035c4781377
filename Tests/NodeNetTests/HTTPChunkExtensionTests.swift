import NodeNet
import TestSupport
import Testing

/// Chunk extensions (`5;name=value`) are read and thrown away, but a peer could send them without
/// end. Node 20 allows 16 KiB of them per chunk-size line (its fix for CVE-2024-22019): past it a
/// server answers `413`, a client fails with `HPE_CHUNK_EXTENSIONS_OVERFLOW`.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPChunkExtensionTests {
    private func chunkedBody(extensionBytes: Int) -> String {
        "2;" + String(repeating: "a", count: extensionBytes) + "\r\nab\r\n0\r\n\r\n"
    }

    private func upload(extensionBytes: Int) -> String {
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunkedBody(extensionBytes: extensionBytes)
    }

    /// A TCP server that answers any bytes with a chunked response whose first chunk-size line
    /// carries `extensionBytes` bytes of extensions.
    private func chunkedResponder(extensionBytes: Int) async throws -> (Server, Int) {
        let response =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunkedBody(extensionBytes: extensionBytes)
        return try await listeningServer { socket in socket.on(.data) { _ in socket.write(response) } }
    }

    private func echoServer() async throws -> (HTTPServer, Int) {
        try await listeningHTTPServer { req, res in
            var body = ""
            req.on(.data) { body += $0.toString() }
            req.on(.end) { res.end(req.method == "GET" ? "ok" : "got \(body)") }
        }
    }

    @Test func sixteenThousandBytesOfExtensionsAreRead() async throws {
        let (server, port) = try await echoServer()
        defer { server.close() }
        let reply = try await rawExchange(port, upload(extensionBytes: 16000)) { $0.hasSuffix("got ab") }
        #expect(reply.text.hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    @Test func twentyThousandBytesOfExtensionsAre413() async throws {
        let (server, port) = try await echoServer()
        defer { server.close() }
        var errors: [String] = []
        let reply = try await rawExchange(port, upload(extensionBytes: 20000))
        #expect(reply.text == "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n")
        #expect(reply.closed)
        server.on(.clientError) { error, socket in
            errors.append("\(error.code): \(error.message)")
            socket.destroy()
        }
        _ = try await rawExchange(port, upload(extensionBytes: 20000))
        #expect(errors == ["HPE_CHUNK_EXTENSIONS_OVERFLOW: Parse Error: Chunk extensions overflow"])
        try await expectStillServes(port)
    }

    /// llhttp reads any number of leading zeros in a chunk size; they must not turn the count
    /// of extension bytes off.
    @Test func leadingZerosInTheSizeDoNotLiftTheLimit() async throws {
        let (server, port) = try await echoServer()
        defer { server.close() }
        let zeros = String(repeating: "0", count: 40)
        let request =
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\(zeros)2;"
            + String(repeating: "b", count: 20000) + "\r\nab\r\n0\r\n\r\n"
        let reply = try await rawExchange(port, request)
        #expect(reply.text == "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n")
        try await expectStillServes(port)
    }

    @Test func extensionsDribbledInSmallPiecesAreCountedTogether() async throws {
        let (server, port) = try await echoServer()
        defer { server.close() }
        let client = RawConnection(port: port)
        client.socket.write("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2;")
        // 40 writes of 500 bytes: no single read holds more than the limit.
        for _ in 0..<40 {
            try await waitFor("a piece written") { done in
                client.socket.write(String(repeating: "b", count: 500)) { _ in done() }
            }
        }
        #expect(
            try await client.closedByServer(within: 30)
                == "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n")
        try await expectStillServes(port)
    }

    @Test func aResponseWithTwentyThousandBytesOfExtensionsFailsTheRequest() async throws {
        let (server, port) = try await chunkedResponder(extensionBytes: 20000)
        defer { server.close() }
        let log = EventLog()
        try await waitFor("the request's error and the response's abort") { done in
            let both = Countdown(2)
            both.whenDone = done
            let req = http.request(RequestOptions(host: "127.0.0.1", port: port, agent: nil)) { res in
                log.add("response \(res.statusCode)")
                res.on(.data) { _ in log.add("data") }
                res.on(.aborted) { both.tick() }
            }
            req.on(.error) { error in
                log.add("\(error.code): \(error.message)")
                both.tick()
            }
            req.end()
        }
        // As in Node: the head was fine, so the response came; its body never does.
        #expect(
            log.entries == [
                "response 200", "HPE_CHUNK_EXTENSIONS_OVERFLOW: Parse Error: Chunk extensions overflow",
            ])
    }

    @Test func aResponseWithSmallExtensionsIsRead() async throws {
        let (server, port) = try await chunkedResponder(extensionBytes: 16000)
        defer { server.close() }
        let body: String = try await waitFor("the body") { done in
            let req = http.request(RequestOptions(host: "127.0.0.1", port: port, agent: nil)) { res in
                var body = ""
                res.on(.data) { body += $0.toString() }
                res.on(.end) { done(body) }
            }
            req.end()
        }
        #expect(body == "ab")
    }
}
