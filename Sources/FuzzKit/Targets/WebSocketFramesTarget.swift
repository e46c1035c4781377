import NodeNet

/// Frames from a client, after a valid opening handshake, to a `WebSocketServer` that echoes
/// every message: masking, lengths, fragments, control frames, close codes, UTF-8.
///
/// What must hold: no trap; the server answers the handshake with `101`, then writes only
/// well-formed server frames (``FrameReader``); every text message it echoes is valid UTF-8;
/// once the client has gone, the server holds no connection and no WebSocket.
@NodeActor final class WebSocketFramesTarget: FuzzTarget {
    let name = "websocket-frames"
    let summary = "client frames into a WebSocket server's frame handlers, after a valid handshake"
    let maxLength = 64 * 1024
    let dictionary = [
        "\u{81}\u{85}", "\u{82}\u{80}", "\u{88}\u{82}", "\u{89}\u{80}", "\u{8A}\u{80}", "\u{01}\u{81}",
        "\u{80}\u{81}",
        "\u{00}\u{80}", "\u{FE}", "\u{FF}", "\u{03}\u{E8}", "\u{03}\u{EF}",
    ].map { String(decoding: $0.unicodeScalars.map { UInt8($0.value) }, as: UTF8.self) }
    private let server: HTTPServer
    private let webSockets: WebSocketServer
    private static let handshake = Array(
        ("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8)

    init() {
        server = http.createServer()
        webSockets = WebSocketServer(server: server, path: "/chat")
        webSockets.on(.connection) { ws, _ in
            ws.on(.message) { message in ws.send(message) }
        }
    }

    func run(_ input: [UInt8]) async -> Verdict {
        await listening(server)
        let connection = await EmbeddedConnection(to: server)
        let hash = fnv1a(input)
        // Mostly the handshake alone first; sometimes frames in the same read as the handshake
        // (the bytes the upgrade hands over with the socket).
        if hash & 1 == 0 {
            await connection.send(Self.handshake)
            for piece in input.reads(1 + Int((hash >> 1) % 4)) { await connection.send(piece) }
        } else {
            for piece in (Self.handshake + input).reads(1 + Int((hash >> 1) % 3)) {
                await connection.send(piece)
            }
        }
        let sentEnd = hash & 0x20 != 0
        if sentEnd { await connection.sendEnd() }
        let output = connection.output
        let stayedOpen = connection.isOpen
        await connection.close()
        var verdict = judge(output, stayedOpen: stayedOpen, sentEnd: sentEnd)
        let connections = await connectionCount(server)
        if !webSockets.clients.isEmpty || connections > 0 {
            verdict.violation = verdict.violation ?? "the server still holds the connection after it closed"
        }
        return verdict
    }

    private func judge(_ output: [UInt8], stayedOpen: Bool, sentEnd: Bool) -> Verdict {
        var head = ResponseReader(output)
        let state = (stayedOpen ? " open" : " closed") + (sentEnd ? " after FIN" : "")
        do {
            guard try head.next()?.status == 101 else {
                return Verdict(outcome: "no 101", violation: "the valid handshake was not answered 101")
            }
        } catch {
            return Verdict(outcome: "no 101", violation: error.message)
        }
        var frames = FrameReader(output, from: head.end)
        var echoed = 0
        var closeCode = "no close"
        do {
            while let frame = try frames.next() {
                switch frame.opcode {
                case 1:
                    echoed += 1
                    if String(validating: frame.payload, as: UTF8.self) == nil {
                        return Verdict(outcome: "bad text", violation: "a text message that is not UTF-8")
                    }
                case 2: echoed += 1
                case 8: closeCode = "close \(frame.closeCode.map(String.init) ?? "without code")"
                default: break
                }
            }
        } catch {
            return Verdict(outcome: "bad frame", violation: error.message)
        }
        return Verdict(outcome: "\(min(echoed, 3))\(echoed > 3 ? "+" : "") echoed, \(closeCode)\(state)")
    }
}
