import NodeNet
import TestSupport
import Testing

/// `verifyClient`, as in `ws`: a server refuses an upgrade by its origin or credentials before the
/// `101` is sent, synchronously or after asking elsewhere, and then goes on serving others.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct WebSocketVerifyClientTests {
    /// An echo server on a free port that asks `verifyClient`; `connections` counts `connection`.
    private func server(_ verifyClient: ClientVerification) async throws -> (WebSocketServer, Int, Counter) {
        let (http, port) = try await listeningHTTPServer()
        let wss = WebSocketServer(server: http, verifyClient: verifyClient)
        let connections = Counter()
        wss.on(.connection) { ws, _ in
            connections.count += 1
            ws.on(.message) { ws.send($0) }
        }
        return (wss, port, connections)
    }

    /// The answer to a valid handshake with `extraHeaders`, up to the server's close (or its `101`).
    private func answer(_ port: Int, _ extraHeaders: [String]) async throws -> RawReply {
        try await rawExchange(port, RawWebSocket.handshake(extraHeaders: extraHeaders), seconds: 30) {
            $0.hasPrefix("HTTP/1.1 101") && $0.hasSuffix("\r\n\r\n")
        }
    }

    private let fromElsewhere = ["Origin: http://evil.example"]

    @Test func theSynchronousFormRefusesWith401AsWsDoes() async throws {
        let (wss, port, connections) = try await server(.sync { $0.origin == "http://good.example" })
        defer { wss.httpServer?.close() }
        let refused = try await answer(port, fromElsewhere)
        #expect(
            refused.text
                == "HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 12\r\n\r\nUnauthorized")
        #expect(refused.closed)
        let accepted = try await answer(port, ["Origin: http://good.example"])
        #expect(accepted.text.hasPrefix("HTTP/1.1 101 Switching Protocols"))
        // `connection` is emitted as the `101` is written, before the client can read it.
        #expect(connections.count == 1, "only the accepted client became a connection")
    }

    @Test func theAsynchronousFormRefusesWithTheProgramsStatusMessageAndHeaders() async throws {
        let verify = ClientVerification.async { info, done in
            // Decided later, as after asking a session store.
            setTimeout(20) {
                done(
                    info.origin == nil
                        ? .accept
                        : .refuse(
                            status: 403, message: "No pages from elsewhere",
                            headers: ["X-Refused-By": "origin"]))
            }
        }
        let (wss, port, _) = try await server(verify)
        defer { wss.httpServer?.close() }
        let refused = try await answer(port, fromElsewhere)
        #expect(
            refused.text
                == "HTTP/1.1 403 Forbidden\r\nConnection: close\r\nX-Refused-By: origin\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 23\r\n\r\nNo pages from elsewhere")
        // A client with no Origin is let in, after the same wait, and served.
        try await expectEchoes("let in", port: port)
    }

    @Test func aProgramRoutesUpgradesItselfRefusesSomeAndHandsTheRestToHandleUpgrade() async throws {
        // ws's noServer pattern: the program owns the `upgrade` event.
        let (http, port) = try await listeningHTTPServer()
        defer { http.close() }
        let chat = WebSocketServer()
        let feed = WebSocketServer()
        var served: [String] = []
        chat.on(.connection) { _, req in served.append("chat \(req.url)") }
        feed.on(.connection) { _, req in served.append("feed \(req.url)") }
        http.on(.upgrade) { req, socket, head in
            guard req.url.hasSuffix("?token=letmein") else {
                socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                return
            }
            let target = req.url.hasPrefix("/chat") ? chat : feed
            target.handleUpgrade(req, socket, head) { ws in target.emit(.connection, (ws, req)) }
        }
        func answer(_ path: String) async throws -> String {
            let reply = try await rawExchange(port, RawWebSocket.handshake(path: path), seconds: 30) {
                $0.hasSuffix("\r\n\r\n")
            }
            return String(reply.text.prefix { $0 != "\r\n" })
        }
        #expect(try await answer("/chat") == "HTTP/1.1 401 Unauthorized")
        #expect(try await answer("/chat?token=letmein") == "HTTP/1.1 101 Switching Protocols")
        #expect(try await answer("/feed?token=letmein") == "HTTP/1.1 101 Switching Protocols")
        #expect(served == ["chat /chat?token=letmein", "feed /feed?token=letmein"])
        #expect(chat.address() == nil, "no HTTP server of its own")
    }

    @Test func verifyClientIsToldTheOriginWhetherTLSAndTheRequest() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try https.createServer(TLSOptions(key: certs.serverKey, cert: certs.serverCert))
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        defer { server.close() }
        var client: TLSSocket?
        defer { client?.destroy() }
        let seen: (String?, Bool, String, String?) = try await waitFor("verifyClient", seconds: 30) { done in
            _ = WebSocketServer(
                server: server,
                verifyClient: .sync { info in
                    done((info.origin, info.secure, info.req.url, info.req.headers["cookie"]))
                    return true
                })
            let socket = tls.connect(server.address()!.port, "localhost", TLSOptions(ca: [certs.caCert]))
            socket.on(.secureConnect) {
                socket.write(
                    RawWebSocket.handshake(
                        path: "/feed?x=1", extraHeaders: ["Origin: https://localhost", "Cookie: session=1"]))
            }
            client = socket
        }
        #expect(seen.0 == "https://localhost")
        #expect(seen.1, "the connection is TLS")
        #expect(seen.2 == "/feed?x=1")
        #expect(seen.3 == "session=1")
    }

    @Test func aClientThatLeavesWhileItIsJudgedIsClosedAndOthersAreServed() async throws {
        let judge = SlowJudge()
        let (wss, port, _) = try await server(.async { _, done in judge.ask(done) })
        defer { wss.httpServer?.close() }
        // The first client hangs up while its verdict is awaited; then the verdict comes. As with
        // `ws`, the server learns of the hang-up when it next reads: the connection then closes.
        let gone = net.connect(port, "127.0.0.1")
        gone.on(.error) { _ in }
        try await waitFor("the first verdict asked for", seconds: 30) { done in
            judge.asked = done
            gone.write(RawWebSocket.handshake())
        }
        try await waitFor("the first client gone", seconds: 30) { done in
            gone.once(.close) { _ in done() }
            gone.destroy()
        }
        let closed: CloseEvent = try await waitFor("the left connection closed", seconds: 30) { done in
            wss.once(.connection) { ws, _ in ws.once(.close, done) }
            judge.answer(.accept)
        }
        #expect(closed.code == 1006)
        #expect(wss.clients.isEmpty)
        // The next client is judged and served as usual.
        try await waitFor("the second verdict asked for", seconds: 30) { done in
            judge.asked = done
            Task { try await judge.opened(openClient(port)) }
        }
        judge.answer(.accept)
        let client: WebSocket = try await waitFor("the second client open", seconds: 30) { done in
            judge.whenOpen = done
        }
        let echo: WebSocketMessage = try await waitFor("an echo", seconds: 30) { done in
            client.once(.message, done)
            client.send("served")
        }
        #expect(echo == .text("served"))
        try client.close()
    }
}

/// A `verifyClient` that answers only when the test says so.
@NodeActor private final class SlowJudge {
    private var waiting: [@NodeActor (UpgradeVerdict) -> Void] = []
    private var client: WebSocket?
    /// Called when a verdict is asked for.
    var asked: (@NodeActor () -> Void)?
    /// Called with the client once it is open.
    var whenOpen: (@NodeActor (WebSocket) -> Void)? {
        didSet { if let client { whenOpen?(client) } }
    }

    func ask(_ done: @escaping @NodeActor (UpgradeVerdict) -> Void) {
        waiting.append(done)
        asked?()
    }

    func answer(_ verdict: UpgradeVerdict) {
        waiting.removeFirst()(verdict)
    }

    func opened(_ ws: WebSocket) {
        client = ws
        whenOpen?(ws)
    }
}

/// A count a test's listeners add to.
@NodeActor private final class Counter {
    var count = 0
}
