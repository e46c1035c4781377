import NodeNet
import TestSupport
import Testing

/// The other way round from ``HostilePeerWebSocketTests``: a server that means harm to a client.
/// It answers the handshake correctly, then breaks the protocol. The client must answer with
/// RFC 6455's close code (as `ws` and Python's `websockets` do), report `ws`'s error, keep to its
/// own limits, and give up on a server that never finishes closing.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HostileServerWebSocketTests {
    /// A TCP server that accepts any WebSocket handshake, then sends `frames` (and FIN, if asked)
    /// and records what the client sends after the handshake (masked frames).
    private final class HostileServer {
        let server: Server
        let port: Int
        var fromClient: [UInt8] = []
        var clientEnded = false

        init(server: Server, port: Int) {
            self.server = server
            self.port = port
        }

        /// The client's frames, unmasked.
        var clientFrames: [RawWebSocket.Frame] { RawWebSocket.frames(in: fromClient, masked: true) ?? [] }
    }

    private func hostileServer(
        sending frames: [UInt8], thenEnding ending: Bool = false
    ) async throws -> HostileServer {
        var hostile: HostileServer?
        let (server, port) = try await listeningServer { socket in
            socket.on(.error) { _ in }
            var head = ""
            var upgraded = false
            socket.on(.data) { chunk in
                guard !upgraded else {
                    hostile?.fromClient += chunk.bytes
                    return
                }
                head += chunk.toString()
                guard head.contains("\r\n\r\n") else { return }
                upgraded = true
                let name = "sec-websocket-key:"
                let line = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name) }
                let key = line.map { String($0.dropFirst(name.count).drop { $0 == " " }) }
                socket.write(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: \(WebSocketHandshake.accept(for: key ?? ""))\r\n\r\n")
                socket.write(Buffer(frames))
                if ending { socket.end() }
            }
            socket.on(.end) { hostile?.clientEnded = true }
        }
        hostile = HostileServer(server: server, port: port)
        return hostile!
    }

    /// What the client saw: its `error`'s code, and its `close` event's code.
    private struct Seen: Equatable {
        var error: String?
        var closeCode: Int?
    }

    /// Opens a client to `hostile` and waits for its `close`.
    private func clientMeets(
        _ hostile: HostileServer, options: WebSocketOptions = WebSocketOptions(),
        afterOpen: @escaping @NodeActor (WebSocket) -> Void = { _ in }
    ) async throws -> Seen {
        try await waitFor("the client's close") { done in
            var seen = Seen()
            let client = WebSocket("ws://127.0.0.1:\(hostile.port)/", options: options)
            client.on(.open) { afterOpen(client) }
            client.on(.error) { seen.error = $0.code }
            client.on(.close) { event in
                seen.closeCode = event.code
                done(seen)
            }
        }
    }

    /// Sends `frames` from a hostile server; expects the client's `error` to be `code` and its
    /// close frame to carry `closeCode`, and the client to close once the server hangs up.
    private func expectRefusal(
        of frames: [UInt8], error code: String, closeCode: Int, options: WebSocketOptions = WebSocketOptions()
    ) async throws {
        let hostile = try await hostileServer(sending: frames)
        defer { hostile.server.close() }
        // The server never answers the client's close frame; the client's close timer ends it.
        var options = options
        options.closeTimeout = 300
        let seen = try await clientMeets(hostile, options: options)
        #expect(seen == Seen(error: code, closeCode: 1006))
        try await waitUntil("the server to read to the client's end") { hostile.clientEnded }
        #expect(
            hostile.clientFrames.map(\.closeCode) == [closeCode], "the client sent \(hostile.clientFrames)")
    }

    @Test func aMaskedFrameFromTheServerIs1002() async throws {
        try await expectRefusal(
            of: RawWebSocket.frame(0x81, Array("hi".utf8)), error: "WS_ERR_UNEXPECTED_MASK", closeCode: 1002)
    }

    @Test func aMessageOverTheClientsMaxPayloadIs1009() async throws {
        try await expectRefusal(
            of: RawWebSocket.frame(0x82, [UInt8](repeating: 7, count: 2000), mask: nil),
            error: "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH", closeCode: 1009,
            options: WebSocketOptions(maxPayload: 1000))
    }

    @Test func moreFragmentsThanTheClientAllowsAre1009() async throws {
        let fragment = RawWebSocket.frame(0x00, [], mask: nil)
        try await expectRefusal(
            of: RawWebSocket.frame(0x01, Array("a".utf8), mask: nil) + fragment + fragment + fragment
                + fragment,
            error: "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH", closeCode: 1009,
            options: WebSocketOptions(maxFragments: 4))
    }

    @Test func textThatIsNotUTF8Is1007() async throws {
        try await expectRefusal(
            of: RawWebSocket.frame(0x81, [0x61, 0xFF, 0x62], mask: nil), error: "WS_ERR_INVALID_UTF8",
            closeCode: 1007)
    }

    @Test func aServerThatNeverAnswersTheCloseIsCutAfterCloseTimeout() async throws {
        let hostile = try await hostileServer(sending: [])
        defer { hostile.server.close() }
        let seen = try await clientMeets(hostile, options: WebSocketOptions(closeTimeout: 300)) { client in
            try? client.close(1000, "bye")
        }
        #expect(seen == Seen(error: nil, closeCode: 1006))
        // The client's close is over when its timer cut the connection; the server may read the
        // frame after that, on a busy loop.
        try await waitUntil("the server to read to the client's end") { hostile.clientEnded }
        #expect(hostile.clientFrames.map(\.closeCode) == [1000])
    }

    @Test func afterAHostileServerTheNextConnectionWorks() async throws {
        try await expectRefusal(
            of: RawWebSocket.frame(0x81, Array("hi".utf8)), error: "WS_ERR_UNEXPECTED_MASK", closeCode: 1002)
        let (wss, port) = try await listeningEchoServer()
        defer { wss.httpServer?.close() }
        try await expectEchoes("an honest server", port: port)
    }

    /// A server that sends its `101`, a message and its close frame in one go, and its FIN right
    /// behind them: the client hears it all (ws: `message`, then `close` with the server's 1000).
    /// The FIN arrives before the client's frame handlers are in place; it waits for them.
    @Test func aServerThatSaysAllAndEndsAtOnceIsHeardOut() async throws {
        let message = RawWebSocket.frame(0x81, Array("bye".utf8), mask: nil)
        let goodbye = message + RawWebSocket.frame(0x88, [0x03, 0xE8], mask: nil)
        let hostile = try await hostileServer(sending: goodbye, thenEnding: true)
        defer { hostile.server.close() }
        var messages: [String] = []
        let seen = try await clientMeets(hostile) { client in
            client.on(.message) { message in messages.append(message.text ?? "(binary)") }
        }
        #expect(seen == Seen(error: nil, closeCode: 1000))
        #expect(messages == ["bye"])
    }
}
