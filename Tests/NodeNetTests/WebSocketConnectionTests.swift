import NodeNet
import TestSupport
import Testing

/// Our client and our server together: messages, the closing handshake, limits and back-pressure.
/// A long transfer here waits until its bytes stop (`waitForTransfer`), under a limit long enough
/// for a whole run on two cores, where it shares the one loop with some 700 tests.
@Suite(.timeLimit(.minutes(3)))
@NodeActor struct WebSocketConnectionTests {
    @Test func theBrowserShapeAndTheEmitterShapeSeeTheSameMessages() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let ws = WebSocket("ws://127.0.0.1:\(port)/")
        let log = EventLog()
        ws.onopen = { log.add("onopen") }
        ws.on(.open) { log.add("open") }
        ws.onmessage = { log.add("onmessage \($0.data.text ?? "binary")") }
        ws.on(.message) { log.add("message \($0.text ?? "binary")") }
        ws.onclose = { log.add("onclose \($0.code)") }
        try await waitFor("close") { done in
            ws.on(.close) { log.add("close \($0.code)") }
            ws.on(.open) { ws.send("你好") }
            ws.on(.message) { _ in try! ws.close(1000) }
            ws.on(.close) { _ in done() }
        }
        #expect(
            log.entries == [
                "open", "onopen", "message 你好", "onmessage 你好", "close 1000", "onclose 1000",
            ])
    }

    @Test func textStaysTextAndBinaryStaysBinary() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let ws = try await openClient(port)
        for message in [
            WebSocketMessage.text("hello"), .binary(Buffer([0, 1, 2, 255])), .text(""),
            .binary(Buffer([UInt8]())),
        ] {
            let echo: WebSocketMessage = try await waitFor("echo") { done in
                ws.once(.message, done)
                ws.send(message)
            }
            #expect(echo == message)
        }
        try ws.close()
    }

    @Test func clientFramesAreMaskedAndServerFramesAreNot() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let ws = try await openClient(port)
        let (sent, received): (WebSocketFrameInfo, WebSocketFrameInfo) = try await waitFor("both frames") {
            done in
            ws.once(.frameSent) { sent in ws.once(.frameReceived) { done((sent, $0)) } }
            ws.send("Hello")
        }
        #expect(sent.maskingKey?.count == 4)
        #expect(sent.header.count == 6 && sent.header[1] == 0x85)
        #expect(received.maskingKey == nil)
        #expect(received.header == [0x81, 0x05])
        try ws.close()
    }

    /// 1 MiB here, where the whole suite shares one event loop (and a debug build masks byte by
    /// byte); the chapter's program carries 16 MiB both ways with Python's `websockets`
    /// (WebSocketProgramTests).
    @Test func aMebibyteBothWaysArrivesIntact() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let ws = try await openClient(port)
        let big = crypto.randomBytes(1 << 20)
        let echo: WebSocketMessage = try await waitFor("the echo", seconds: 30) { done in
            ws.once(.message, done)
            ws.send(big)
        }
        let digest = { (data: Buffer) in try crypto.createHash("sha256").update(data).digest(.hex) }
        #expect(try digest(echo.bytes) == digest(big))
        try ws.close()
    }

    @Test func manyConnectionsAtOnce() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let count = 200
        let echoed: Int = try await waitForTransfer("every echo") { done, progress in
            // Both ends of every connection report their close.
            let countdown = Countdown(2 * count)
            countdown.whenDone = { done(count) }
            wss.on(.connection) { ws, _ in
                progress()
                ws.on(.close) { _ in countdown.tick() }
            }
            for index in 0..<count {
                let ws = WebSocket("ws://127.0.0.1:\(port)/")
                ws.on(.open) { ws.send("client \(index)") }
                ws.on(.message) { message in
                    #expect(message == .text("client \(index)"))
                    try! ws.close()
                }
                ws.on(.close) { _ in
                    progress()
                    countdown.tick()
                }
            }
        }
        #expect(echoed == count)
        #expect(wss.clients.isEmpty)
    }

    @Test func theClosingHandshakeFromTheClient() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let serverSide: CloseEvent = try await waitFor("the server's close") { done in
            wss.on(.connection) { ws, _ in ws.on(.close, done) }
            Task {
                let ws = try await openClient(port)
                let clientSide: CloseEvent = try await waitFor("the client's close") { closed in
                    ws.on(.close, closed)
                    try! ws.close(4001, "done here")
                    #expect(ws.readyState == .closing)
                }
                #expect(clientSide == CloseEvent(code: 4001, reason: "done here", wasClean: true))
                #expect(ws.readyState == .closed)
            }
        }
        #expect(serverSide == CloseEvent(code: 4001, reason: "done here", wasClean: true))
    }

    @Test func theClosingHandshakeFromTheServer() async throws {
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        let wss = WebSocketServer(server: server)
        wss.on(.connection) { ws, _ in try! ws.close(1001, "going away") }
        let ws = WebSocket("ws://127.0.0.1:\(port)/")
        let closed: CloseEvent = try await waitFor("close") { done in ws.on(.close, done) }
        #expect(closed == CloseEvent(code: 1001, reason: "going away", wasClean: true))
    }

    /// `ws` adds its own listeners to a socket when it takes it over, so a program's listener on
    /// the socket from before the upgrade hears of `end` and `close` before the WebSocket does,
    /// and one added after it, after; every `end` listener before any `close` (node 20 with
    /// ws 8.11 gives the order below).
    @Test func aSocketListenerFromBeforeTheUpgradeHearsItsCloseBeforeTheWebSocket() async throws {
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        let wss = WebSocketServer()
        let log = EventLog()
        server.on(.connection) { socket in
            socket.on(.end) { log.add("end (at connection)") }
            socket.on(.close) { _ in log.add("close (at connection)") }
        }
        try await waitFor("the last close listener") { done in
            server.on(.upgrade) { req, socket, head in
                wss.handleUpgrade(req, socket, head) { ws in
                    socket.on(.end) { log.add("end (after the upgrade)") }
                    socket.on(.close) { _ in
                        log.add("close (after the upgrade)")
                        done()
                    }
                    ws.on(.close) { log.add("WebSocket close \($0.code)") }
                }
            }
            // A peer that ends its side once it has the handshake's answer, with no close frame.
            let peer = net.connect(port, "127.0.0.1")
            peer.on(.data) { _ in peer.end() }
            peer.write(RawWebSocket.handshake())
        }
        #expect(
            log.entries == [
                "end (at connection)", "end (after the upgrade)", "close (at connection)",
                "WebSocket close 1006", "close (after the upgrade)",
            ])
    }

    /// A peer that resets the connection: the socket's error goes to `error` listeners and
    /// `onerror`, then `close` 1006, as errors do in NodeNet's WebSocket; `ws` 8.11 only closes
    /// with 1006 (checked with node 20), and emits no `error`.
    @Test func aResetIsReportedThenClosedWith1006() async throws {
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        let wss = WebSocketServer(server: server)
        let log = EventLog()
        try await waitFor("the server side's close") { done in
            wss.on(.connection) { ws, _ in
                ws.on(.error) { log.add("error \($0.code)") }
                ws.onerror = { log.add("onerror \($0.code)") }
                ws.on(.close) {
                    log.add("close \($0.code)")
                    done()
                }
            }
            let peer = net.connect(port, "127.0.0.1")
            peer.on(.data) { _ in peer.resetAndDestroy() }
            peer.write(RawWebSocket.handshake())
        }
        #expect(log.entries == ["error ECONNRESET", "onerror ECONNRESET", "close 1006"])
    }

    @Test func aPeerThatNeverAnswersTheCloseIsCutAfterCloseTimeout() async throws {
        #expect(WebSocketOptions().closeTimeout == 30_000)
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        let wss = WebSocketServer(server: server, options: WebSocketOptions(closeTimeout: 100))
        let closed: CloseEvent = try await waitFor("close") { done in
            wss.on(.connection) { ws, _ in
                ws.on(.close, done)
                try! ws.close(1000)
            }
            // A raw peer that reads but never answers, and never closes.
            Task { _ = try? await RawWebSocket.session(port: port, send: [], seconds: 5) }
        }
        #expect(closed == CloseEvent(code: 1006, reason: "", wasClean: false))
    }

    @Test func pingsAreAnsweredWithTheSamePayload() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let ws = try await openClient(port)
        let pong: Buffer = try await waitFor("pong") { done in
            ws.once(.pong, done)
            ws.ping("are you there?")
        }
        #expect(pong.toString() == "are you there?")
        try ws.close()
    }

    @Test func bufferedAmountGrowsWhileThePeerDoesNotRead() async throws {
        var progressed: @NodeActor () -> Void = {}
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        let wss = WebSocketServer(server: server)
        let accepted: WebSocket = try await waitFor("connection") { done in
            wss.on(.connection) { ws, _ in done(ws) }
            // A raw peer that reads and drops everything after its handshake.
            let peer = net.connect(port, "127.0.0.1")
            peer.on(.data) { _ in progressed() }
            peer.write(RawWebSocket.handshake())
        }
        // The peer reads everything, so all of it leaves eventually; but not at once.
        let sent: Int = try await waitForTransfer("the send to finish") { done, progress in
            progressed = progress
            accepted.send(crypto.randomBytes(8 << 20)) { error in
                #expect(error == nil)
                done(accepted.bufferedAmount)
            }
            #expect(accepted.bufferedAmount > 0, "8 MiB cannot all be in the kernel at once")
        }
        #expect(sent == 0)
        accepted.terminate()
    }

    @Test func sendingBeforeOpenIsAnError() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let ws = WebSocket("ws://127.0.0.1:\(port)/")
        let error: NodeError = try await waitFor("error") { done in
            ws.once(.error, done)
            ws.send("too soon")
        }
        #expect(error.message == "WebSocket is not open: readyState 0 (CONNECTING)")
        try await waitFor("open") { done in ws.once(.open, done) }
        try ws.close()
    }

    @Test func closeRefusesCodesThatMayNotBeSent() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let ws = try await openClient(port)
        #expect(throws: NodeError.self) { try ws.close(1006) }
        #expect(throws: NodeError.self) { try ws.close(1000, String(repeating: "x", count: 124)) }
        #expect(ws.readyState == .open)
        try ws.close(3000)
    }

    @Test func anIdleConnectionOutlivesTheHTTPServersTimeouts() async throws {
        var options = HTTPServerOptions()
        options.keepAliveTimeout = 10
        // The head clock runs from accept, so the handshake itself must fit: in a whole run on two
        // cores, one took longer than 1.5 s.
        options.headersTimeout = 5000
        options.requestTimeout = 5000
        let (wss, port) = try await listeningEchoServer(httpOptions: options)
        defer { wss.httpServer?.close() }
        let ws = try await openClient(port)
        // Well past every HTTP timeout (keep-alive closes at 10 ms + 1 s): still open.
        try await waitFor("5.5 s") { done in _ = setTimeout(5500, done) }
        let echo: WebSocketMessage = try await waitFor("echo") { done in
            ws.once(.message, done)
            ws.send("still open")
        }
        #expect(echo == .text("still open"))
        try ws.close()
    }

    @Test func wssIsTheSameProtocolOverTLS() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try https.createServer(TLSOptions(key: certs.serverKey, cert: certs.serverCert))
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        defer { server.close() }
        let wss = WebSocketServer(server: server)
        wss.on(.connection) { ws, _ in ws.on(.message) { ws.send($0) } }
        let ws = WebSocket(
            "wss://localhost:\(server.address()!.port)/",
            options: WebSocketOptions(tls: TLSOptions(ca: [certs.caCert])))
        let echo: WebSocketMessage = try await waitFor("echo over TLS") { done in
            ws.on(.open) { ws.send("secure") }
            ws.on(.message, done)
        }
        #expect(echo == .text("secure"))
        try ws.close()
    }

    @Test func aStandaloneServerAnswersOrdinaryRequestsWith426() async throws {
        let wss = WebSocketServer(port: 0, host: "127.0.0.1")
        try await waitFor("listening") { done in wss.once(.listening, done) }
        let port = try #require(wss.address()?.port)
        let reply = try await rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") {
            $0.hasSuffix("Upgrade Required")
        }
        #expect(reply.text.hasPrefix("HTTP/1.1 426 Upgrade Required"))
        wss.on(.connection) { ws, _ in ws.on(.message) { ws.send($0) } }
        let ws = try await openClient(port)
        try ws.close()
        try await waitFor("the server's close") { done in wss.close(done) }
    }
}
