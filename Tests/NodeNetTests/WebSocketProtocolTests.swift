import NodeNet
import TestSupport
import Testing

/// RFC 6455's framing rules as a server enforces them, checked on the wire with a hand-written
/// peer: what it must accept, and the close code it must send for what it must refuse.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct WebSocketProtocolTests {
    /// Sends `bytes` after a handshake; the server's frames, once it has closed the connection.
    private func refused(_ bytes: [UInt8], options: WebSocketOptions = WebSocketOptions()) async throws
        -> RawWebSocket.Reply
    {
        let (wss, port) = try await listeningEchoServer(options: options)
        defer { wss.httpServer?.close() }
        return try await RawWebSocket.session(port: port, send: bytes)
    }

    private func expectClose(
        _ code: Int, after bytes: [UInt8], options: WebSocketOptions = WebSocketOptions()
    )
        async throws
    {
        let reply = try await refused(bytes, options: options)
        #expect(reply.head.hasPrefix("HTTP/1.1 101 Switching Protocols"))
        #expect(reply.frames.last?.closeCode == code, "frames: \(reply.frames)")
        #expect(reply.closed, "the server ends the connection after failing it")
    }

    @Test func aMaskedTextIsEchoedUnmaskedInTheShortestForm() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        // RFC 6455 §5.7: a masked "Hello" from a client; the server's frame is 81 05 "Hello".
        let hello: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(RawWebSocket.text("Hello") == hello)
        let reply = try await RawWebSocket.session(port: port, send: hello) { $0.count == 1 }
        #expect(reply.frames == [RawWebSocket.Frame(first: 0x81, payload: Array("Hello".utf8))])
    }

    @Test(arguments: [0, 125, 126, 65535, 65536])
    func everyLengthFormRoundTrips(size: Int) async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let reply = try await RawWebSocket.session(port: port, send: RawWebSocket.frame(0x82, payload)) {
            $0.count == 1
        }
        #expect(reply.frames.first?.payload == payload)
        #expect(reply.frames.first?.first == 0x82)
    }

    @Test func aFragmentedMessageWithPingsBetweenIsReassembled() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let bytes =
            RawWebSocket.frame(0x01, Array("frag".utf8)) + RawWebSocket.frame(0x89, Array("p1".utf8))
            + RawWebSocket.frame(0x00, Array("men".utf8)) + RawWebSocket.frame(0x89, Array("p2".utf8))
            + RawWebSocket.frame(0x80, Array("ted".utf8))
        let reply = try await RawWebSocket.session(port: port, send: bytes) { $0.count == 3 }
        // Pongs answer at once, in order; the message comes whole once its last fragment is in.
        #expect(
            reply.frames == [
                RawWebSocket.Frame(first: 0x8A, payload: Array("p1".utf8)),
                RawWebSocket.Frame(first: 0x8A, payload: Array("p2".utf8)),
                RawWebSocket.Frame(first: 0x81, payload: Array("fragmented".utf8)),
            ])
    }

    @Test func anUnmaskedClientFrameIsAProtocolError() async throws {
        try await expectClose(1002, after: RawWebSocket.frame(0x81, Array("hi".utf8), mask: nil))
    }

    @Test func reservedBitsAreAProtocolError() async throws {
        try await expectClose(1002, after: RawWebSocket.frame(0xC1, Array("hi".utf8)))
    }

    @Test(arguments: [0x83, 0x8B] as [UInt8])
    func reservedOpcodesAreAProtocolError(first: UInt8) async throws {
        try await expectClose(1002, after: RawWebSocket.frame(first, []))
    }

    @Test func aFragmentedControlFrameIsAProtocolError() async throws {
        try await expectClose(1002, after: RawWebSocket.frame(0x09, Array("ping".utf8)))
    }

    @Test func aControlFrameOver125BytesIsAProtocolError() async throws {
        try await expectClose(1002, after: RawWebSocket.frame(0x89, [UInt8](repeating: 1, count: 126)))
    }

    @Test func aContinuationWithoutAStartIsAProtocolError() async throws {
        try await expectClose(1002, after: RawWebSocket.frame(0x80, Array("orphan".utf8)))
    }

    @Test func aNewMessageInsideAFragmentedOneIsAProtocolError() async throws {
        try await expectClose(
            1002, after: RawWebSocket.frame(0x01, Array("a".utf8)) + RawWebSocket.frame(0x81, Array("b".utf8))
        )
    }

    @Test func invalidUTF8TextIs1007() async throws {
        try await expectClose(1007, after: RawWebSocket.frame(0x81, [0xC3, 0x28]))
    }

    @Test func invalidUTF8SplitAcrossFragmentsIs1007() async throws {
        // "é" is C3 A9; a lone C3 at the end of the message is not text.
        try await expectClose(
            1007, after: RawWebSocket.frame(0x01, [0x61, 0xC3]) + RawWebSocket.frame(0x80, [0x62]))
    }

    @Test func aValidCharacterSplitAcrossFragmentsIsFine() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let bytes = RawWebSocket.frame(0x01, [0x61, 0xC3]) + RawWebSocket.frame(0x80, [0xA9])
        let reply = try await RawWebSocket.session(port: port, send: bytes) { $0.count == 1 }
        #expect(reply.frames.first?.payload == Array("aé".utf8))
    }

    @Test func aMessageOverTheLimitIs1009() async throws {
        let options = WebSocketOptions(maxPayload: 1024)
        try await expectClose(
            1009, after: RawWebSocket.frame(0x82, [UInt8](repeating: 0, count: 1025)), options: options)
    }

    @Test func fragmentsThatAddUpOverTheLimitAre1009() async throws {
        let options = WebSocketOptions(maxPayload: 1024)
        let half = [UInt8](repeating: 0, count: 600)
        try await expectClose(
            1009, after: RawWebSocket.frame(0x02, half) + RawWebSocket.frame(0x80, half), options: options)
    }

    @Test func theDefaultLimitIs100MiB() async throws {
        #expect(WebSocketOptions().maxPayload == 100 * 1024 * 1024)
        // Only the header: the server refuses as soon as it reads the announced length.
        let header = RawWebSocket.frame(0x82, [], length: 100 * 1024 * 1024 + 1)
        try await expectClose(1009, after: header)
    }

    /// One byte; 1005 and 1006 (never sent); 999; 2999 (below the application range); 5000.
    @Test(
        arguments: [[0x03], [0x03, 0xED], [0x03, 0xEE], [0x03, 0xE7], [0x0B, 0xB7], [0x13, 0x88]] as [[UInt8]]
    )
    func badCloseFramesAreAProtocolError(payload: [UInt8]) async throws {
        try await expectClose(1002, after: RawWebSocket.frame(0x88, payload))
    }

    @Test func aCloseReasonMustBeUTF8() async throws {
        try await expectClose(1007, after: RawWebSocket.frame(0x88, [0x03, 0xE8, 0xC3, 0x28]))
    }

    @Test func theServerEchoesACloseFrameAndEndsTheConnection() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let closed: CloseEvent = try await waitFor("the server's close event") { done in
            wss.on(.connection) { ws, _ in ws.on(.close) { done($0) } }
            Task {
                let reply = try await RawWebSocket.session(
                    port: port, send: RawWebSocket.frame(0x88, [0x0F, 0xA0] + Array("bye".utf8)))
                #expect(
                    reply.frames == [
                        RawWebSocket.Frame(first: 0x88, payload: [0x0F, 0xA0] + Array("bye".utf8))
                    ])
                #expect(reply.closed)
            }
        }
        #expect(closed == CloseEvent(code: 4000, reason: "bye", wasClean: true))
    }

    @Test func aCloseFrameWithoutACodeIsReportedAs1005AndAnsweredEmpty() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let reply = try await RawWebSocket.session(port: port, send: RawWebSocket.frame(0x88, []))
        #expect(reply.frames == [RawWebSocket.Frame(first: 0x88, payload: [])])
    }

    @Test func aClientThatEndsRightAfterItsFirstFrameIsStillAnswered() async throws {
        // The handshake, a frame and the client's FIN in one go: as in Node, the upgrade is
        // served, the frame echoed, and the connection then ends (1006: no close frame came).
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let closed: CloseEvent = try await waitFor("the server's close") { done in
            wss.on(.connection) { ws, _ in ws.on(.close, done) }
            let socket = net.connect(port, "127.0.0.1")
            var received: [UInt8] = []
            socket.on(.data) { received += $0.bytes }
            socket.on(.end) {
                let text = String(decoding: received, as: UTF8.self)
                #expect(text.hasPrefix("HTTP/1.1 101 Switching Protocols"))
                #expect(received.suffix(4) == [0x81, 0x02, 0x68, 0x69], "the echo of \"hi\"")
            }
            socket.end(Buffer(Array(RawWebSocket.handshake().utf8) + RawWebSocket.text("hi")))
        }
        #expect(closed == CloseEvent(code: 1006, reason: "", wasClean: false))
    }

    @Test func aBadClientDoesNotDisturbTheOthers() async throws {
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        let good = try await openClient(port)
        let bad = try await RawWebSocket.session(
            port: port, send: RawWebSocket.frame(0x81, [0xFF], mask: nil))
        #expect(bad.frames.last?.closeCode == 1002)
        let echo: WebSocketMessage = try await waitFor("an echo") { done in
            good.once(.message, done)
            good.send("still here")
        }
        #expect(echo == .text("still here"))
        try good.close()
    }
}
