import NodeNet
import TestSupport
import Testing

/// §4.1: the opening handshake, from both ends, with the book's mistakes checked against it.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct WebSocketHandshakeTests {
    @Test func theRFCSampleKeyGivesTheRFCAcceptValue() {
        #expect(WebSocketHandshake.guid == "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
        #expect(WebSocketHandshake.accept(for: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func theBooksGUIDGivesAValueNoClientAccepts() throws {
        let booksGUID = "258EAFA5-E914-47DA-C5AB0DCB5B11"
        let booksAccept = try crypto.createHash("sha1").update("dGhlIHNhbXBsZSBub25jZQ==" + booksGUID).digest(
            .base64)
        #expect(booksAccept == "EKKFQpeYYkwdAJhue/pfyRtRQHs=")
        #expect(booksAccept != WebSocketHandshake.accept(for: "dGhlIHNhbXBsZSBub25jZQ=="))
    }

    @Test func aClientKeyIsSixteenRandomBytesInBase64() {
        let key = WebSocketHandshake.newKey()
        #expect(WebSocketHandshake.isValidKey(key))
        #expect(key != WebSocketHandshake.newKey())
        #expect(!WebSocketHandshake.isValidKey("dGhlIHNhbXBsZSBub25jZQ"), "the book's key has lost its ==")
    }

    /// The server's answer to a request with `headers` (after the request line and Host).
    private func answer(
        to headers: [String], method: String = "GET", path: String = "/", version: String = "1.1",
        protocols: [String] = []
    ) async throws -> String {
        let (wss, port) = try await listeningEchoServer(path: "/", protocols: protocols)
        defer { wss.httpServer?.close() }
        let request = (["\(method) \(path) HTTP/\(version)", "Host: 127.0.0.1"] + headers).joined(
            separator: "\r\n")
        return try await rawExchange(port, request + "\r\n\r\n") {
            $0.contains("\r\n\r\n") && !$0.hasPrefix("HTTP/1.1 4")
        }
        .text
    }

    private let valid = [
        "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
    ]

    @Test func aValidRequestIsAnswered101WithTheAcceptValue() async throws {
        let reply = try await answer(to: valid)
        #expect(
            reply == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
    }

    @Test func headerNamesAndTokensAreCaseInsensitiveAsTheBookWritesThem() async throws {
        // The book's spelling: `Upgrade: webSocket`, `sec-WebSocket-key`; and tokens in a list.
        let reply = try await answer(to: [
            "Upgrade: webSocket", "Connection: keep-alive, Upgrade",
            "sec-WebSocket-key: dGhlIHNhbXBsZSBub25jZQ==",
            "sec-WebSocket-Version: 13",
        ])
        #expect(reply.hasPrefix("HTTP/1.1 101 Switching Protocols"))
    }

    @Test func theServerPicksTheFirstOfferedSubprotocolItSpeaks() async throws {
        let reply = try await answer(
            to: valid + ["Sec-WebSocket-Protocol: chat, superchat"], protocols: ["superchat", "chat"])
        #expect(reply.contains("\r\nSec-WebSocket-Protocol: chat\r\n"))
        let none = try await answer(
            to: valid + ["Sec-WebSocket-Protocol: chat, superchat"], protocols: ["mqtt"])
        #expect(none.hasPrefix("HTTP/1.1 101") && !none.contains("Sec-WebSocket-Protocol"))
    }

    private func refusal(_ status: String, _ message: String, extra: String = "") -> String {
        "HTTP/1.1 \(status)\r\nConnection: close\r\n\(extra)Content-Type: text/plain\r\n"
            + "Content-Length: \(message.utf8.count)\r\n\r\n\(message)"
    }

    @Test func theBooksRequestAsPrintedIsRefusedForItsKey() async throws {
        let reply = try await answer(to: [
            "Upgrade: webSocket", "Connection: Upgrade", "sec-WebSocket-key: dGhlIHNhbXBsZSBub25jZQ",
            "sec-WebSocket-protocol: chat, superchat", "sec-WebSocket-Version: 13",
        ])
        #expect(reply == refusal("400 Bad Request", "Missing or invalid Sec-WebSocket-Key header"))
    }

    @Test func anotherVersionIs426WithTheVersionWeSpeak() async throws {
        let reply = try await answer(to: Array(valid.dropLast()) + ["Sec-WebSocket-Version: 8"])
        #expect(
            reply
                == refusal(
                    "426 Upgrade Required", "Unsupported WebSocket version (this server speaks 13)",
                    extra: "Sec-WebSocket-Version: 13\r\n"))
    }

    @Test func aMethodOtherThanGETIs405() async throws {
        let reply = try await answer(to: valid, method: "POST")
        #expect(reply == refusal("405 Method Not Allowed", "Invalid HTTP method"))
    }

    @Test func anUpgradeToAnotherProtocolIs400() async throws {
        var headers = valid
        headers[0] = "Upgrade: h2c"
        #expect(try await answer(to: headers) == refusal("400 Bad Request", "Invalid Upgrade header"))
    }

    /// `ws` compares the whole `Upgrade` value: a request for WebSocket and something else at
    /// once, or two `Upgrade` lines (Node joins them), is refused.
    @Test(arguments: [["Upgrade: websocket, h2c"], ["Upgrade: websocket", "Upgrade: websocket"]])
    func anUpgradeToWebSocketAndMoreIs400(upgrade: [String]) async throws {
        let reply = try await answer(to: upgrade + valid.dropFirst())
        #expect(reply == refusal("400 Bad Request", "Invalid Upgrade header"))
    }

    /// RFC 6455 §4.1 asks for HTTP/1.1 or later (`ws` does not check; see chapter 4).
    @Test func aHandshakeInHTTP10Is400() async throws {
        let reply = try await answer(to: valid, version: "1.0")
        #expect(reply == refusal("400 Bad Request", "Invalid HTTP version"))
    }

    @Test func aPathTheServerDoesNotServeIs400() async throws {
        let reply = try await answer(to: valid, path: "/elsewhere")
        #expect(reply == refusal("400 Bad Request", "No WebSocket service at /elsewhere"))
    }

    @Test func aRepeatedSubprotocolIs400() async throws {
        let reply = try await answer(to: valid + ["Sec-WebSocket-Protocol: chat, chat"])
        #expect(reply == refusal("400 Bad Request", "Invalid Sec-WebSocket-Protocol header"))
    }

    /// Each offered name must be an HTTP token, as `ws`'s `subprotocol.parse` demands.
    @Test(arguments: ["ch at", "chat;q=1", "\"chat\"", "@, chat", "chat,", "chät"])
    func aSubprotocolThatIsNotATokenIs400(offer: String) async throws {
        let reply = try await answer(to: valid + ["Sec-WebSocket-Protocol: \(offer)"], protocols: ["chat"])
        #expect(reply == refusal("400 Bad Request", "Invalid Sec-WebSocket-Protocol header"))
    }

    @Test func anOrdinaryRequestStillReachesTheHTTPServer() async throws {
        let reply = try await answer(to: [])
        #expect(reply.hasPrefix("HTTP/1.1 200 OK"))
    }

    // MARK: The client's checks

    /// A client against a fake server that answers every request with `answer`.
    private func clientError(against answer: @escaping @NodeActor (String) -> String) async throws -> (
        NodeError, CloseEvent
    ) {
        let (server, port) = try await listeningServer { socket in
            var request = ""
            socket.on(.data) { data in
                request += data.toString()
                guard request.contains("\r\n\r\n") else { return }
                socket.write(answer(request))
            }
        }
        defer { server.close() }
        let ws = WebSocket("ws://127.0.0.1:\(port)/")
        return try await waitFor("error and close") { done in
            ws.once(.error) { error in ws.once(.close) { done((error, $0)) } }
            ws.once(.open) { Issue.record("the client accepted a bad handshake") }
        }
    }

    private func key(in request: String) -> String {
        String(request.firstMatch(of: /Sec-WebSocket-Key: (\S+)/)?.1 ?? "")
    }

    @Test func theClientRefusesAWrongAcceptValue() async throws {
        let (error, close) = try await clientError { request in
            // What a server following the book would compute.
            let accept = try! crypto.createHash("sha1")
                .update(self.key(in: request) + "258EAFA5-E914-47DA-C5AB0DCB5B11").digest(.base64)
            return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(accept)\r\n\r\n"
        }
        #expect(error.message == "Invalid Sec-WebSocket-Accept header")
        #expect(close == CloseEvent(code: 1006, reason: "", wasClean: false))
    }

    @Test func theClientRefusesASubprotocolItDidNotOffer() async throws {
        let (error, _) = try await clientError { request in
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(WebSocketHandshake.accept(for: self.key(in: request)))\r\n"
                + "Sec-WebSocket-Protocol: chat\r\n\r\n"
        }
        #expect(error.message == "Server sent a subprotocol but none was requested")
    }

    @Test func anAnswerOtherThan101IsAnError() async throws {
        let (error, close) = try await clientError { _ in
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        }
        #expect(error.message == "Unexpected server response: 404")
        #expect(close.code == 1006)
    }

    @Test func aURLThatIsNotWsIsAnError() async throws {
        let ws = WebSocket("http://127.0.0.1:1/")
        let error: NodeError = try await waitFor("error") { done in ws.once(.error, done) }
        #expect(error.code == "ERR_INVALID_URL")
        #expect(ws.readyState == .closed)
    }

    @Test func whatTheClientSendsIsWhatWsSends() async throws {
        let requests = EventLog()
        let (server, port) = try await listeningServer { socket in
            socket.on(.data) { data in
                requests.add(data.toString())
                socket.destroy()
            }
        }
        defer { server.close() }
        let ws = WebSocket("ws://127.0.0.1:\(port)/updates?x=1", protocols: ["chat", "superchat"])
        try await waitFor("the client gives up") { done in ws.once(.close) { _ in done() } }
        let request = try #require(requests.entries.first)
        let lines = request.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "GET /updates?x=1 HTTP/1.1")
        #expect(lines.contains("Upgrade: websocket") && lines.contains("Connection: Upgrade"))
        #expect(lines.contains("Sec-WebSocket-Version: 13"))
        #expect(lines.contains("Sec-WebSocket-Protocol: chat, superchat"))
        #expect(WebSocketHandshake.isValidKey(key(in: request)))
    }
}
