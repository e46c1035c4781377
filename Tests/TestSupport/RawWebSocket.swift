import NodeNet
import Testing

/// A WebSocket peer written by hand, for tests that must send what no well-behaved client sends:
/// frames built byte by byte, read back byte by byte.
public enum RawWebSocket {
    /// A valid opening handshake for `path` (key: RFC 6455's sample).
    public static func handshake(path: String = "/", extraHeaders: [String] = []) -> String {
        ([
            "GET \(path) HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13",
        ] + extraHeaders)
        .joined(separator: "\r\n") + "\r\n\r\n"
    }

    /// One frame: `first` is the whole first byte (FIN, RSV, opcode); masked with a fixed key
    /// unless `mask` is nil; `length` overrides the length the header announces.
    public static func frame(
        _ first: UInt8, _ payload: [UInt8], mask: [UInt8]? = [0x37, 0xFA, 0x21, 0x3D], length: Int? = nil
    ) -> [UInt8] {
        let count = length ?? payload.count
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        var bytes = [first]
        if count < 126 {
            bytes.append(maskBit | UInt8(count))
        } else if count < 65536 {
            bytes += [maskBit | 126, UInt8(count >> 8), UInt8(count & 0xFF)]
        } else {
            bytes.append(maskBit | 127)
            bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: count >> ($0 * 8)) }
        }
        guard let mask else { return bytes + payload }
        return bytes + mask + payload.enumerated().map { $1 ^ mask[$0 % 4] }
    }

    /// A text frame from a client (masked, FIN set).
    public static func text(_ text: String) -> [UInt8] { frame(0x81, Array(text.utf8)) }

    /// A frame as a server sends it: unmasked.
    public struct Frame: Equatable, Sendable, CustomStringConvertible {
        /// The first byte: FIN, RSV, opcode.
        public let first: UInt8
        /// The payload.
        public let payload: [UInt8]
        /// The opcode.
        public var opcode: UInt8 { first & 0x0F }
        /// A close frame's code, if it has one.
        public var closeCode: Int? {
            opcode == 8 && payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : nil
        }
        /// A frame with this first byte and payload.
        public init(first: UInt8, payload: [UInt8]) {
            self.first = first
            self.payload = payload
        }

        /// The frame in a test failure: opcode, and the payload's start.
        public var description: String {
            "frame(opcode \(opcode), \(payload.count) bytes, close \(closeCode ?? 0))"
        }
    }

    /// Splits what a server sent after its `101` head into frames (or, `masked`, what a client
    /// sent, unmasked); nil if the bytes do not end at a frame boundary, or a frame's MASK bit is
    /// not what that side must send.
    public static func frames(in bytes: [UInt8], masked: Bool = false) -> [Frame]? {
        var frames: [Frame] = []
        var index = 0
        while index < bytes.count {
            guard index + 2 <= bytes.count, (bytes[index + 1] & 0x80 != 0) == masked else { return nil }
            var length = Int(bytes[index + 1] & 0x7F)
            var start = index + 2
            let extra = length == 126 ? 2 : length == 127 ? 8 : 0
            if extra > 0 {
                guard start + extra <= bytes.count else { return nil }
                length = bytes[start..<(start + extra)].reduce(0) { $0 << 8 | Int($1) }
                start += extra
            }
            let key = masked ? Array(bytes[min(start, bytes.count)..<min(start + 4, bytes.count)]) : []
            start += key.count
            guard key.count == (masked ? 4 : 0), start + length <= bytes.count else { return nil }
            var payload = Array(bytes[start..<(start + length)])
            for offset in payload.indices where masked { payload[offset] ^= key[offset % 4] }
            frames.append(Frame(first: bytes[index], payload: payload))
            index = start + length
        }
        return frames
    }

    /// What a server answered: its head, the frames after it, and whether it closed the TCP
    /// connection.
    public struct Reply: Sendable {
        /// The response head, up to the blank line.
        public let head: String
        /// The frames that followed.
        public let frames: [Frame]
        /// Whether the server closed the connection.
        public let closed: Bool
    }

    /// Where the frames begin in what a server sent: just past the blank line that ends its
    /// `101` head; nil while the head is incomplete.
    public static func endOfHead(in bytes: [UInt8]) -> Int? {
        let marker: [UInt8] = [13, 10, 13, 10]
        let start = (0..<max(0, bytes.count - 3)).first { bytes[$0..<($0 + 4)].elementsEqual(marker) }
        return start.map { $0 + 4 }
    }

    /// Connects, sends the handshake and `bytes` in one write, and reads until the server closes
    /// or `until` accepts the frames so far.
    @NodeActor public static func session(
        port: Int, path: String = "/", send bytes: [UInt8], seconds: Int = 30,
        until: @escaping @NodeActor ([Frame]) -> Bool = { _ in false }
    ) async throws -> Reply {
        try await waitFor("a WebSocket reply", seconds: seconds) { done in
            let socket = net.connect(port, "127.0.0.1")
            var received: [UInt8] = []
            var finished = false
            @NodeActor func split() -> (String, [Frame]) {
                guard let end = endOfHead(in: received) else {
                    return (String(decoding: received, as: UTF8.self), [])
                }
                let head = String(decoding: received[..<(end - 4)], as: UTF8.self)
                return (head, frames(in: Array(received[end...])) ?? [])
            }
            @NodeActor func finish(_ closed: Bool) {
                guard !finished else { return }
                finished = true
                socket.destroy()
                let (head, frames) = split()
                done(Reply(head: head, frames: frames, closed: closed))
            }
            socket.on(.data) { data in
                received += data.bytes
                if until(split().1) { finish(false) }
            }
            socket.on(.error) { _ in }
            socket.on(.close) { _ in finish(true) }
            socket.write(Buffer(Array(handshake(path: path).utf8) + bytes))
        }
    }
}

/// A WebSocket server on a free loopback port that echoes every message, as the chapter's does.
@NodeActor
public func listeningEchoServer(
    path: String? = nil, protocols: [String] = [], options: WebSocketOptions = WebSocketOptions(),
    httpOptions: HTTPServerOptions = HTTPServerOptions()
) async throws -> (WebSocketServer, Int) {
    let (server, port) = try await listeningHTTPServer(httpOptions)
    let wss = WebSocketServer(server: server, path: path, protocols: protocols, options: options)
    wss.on(.connection) { ws, _ in
        ws.on(.message) { ws.send($0) }
    }
    return (wss, port)
}

/// A client connected to `port`, open.
@NodeActor
public func openClient(
    _ port: Int, path: String = "/", protocols: [String] = [], options: WebSocketOptions = WebSocketOptions()
) async throws -> WebSocket {
    let ws = WebSocket("ws://127.0.0.1:\(port)\(path)", protocols: protocols, options: options)
    let error: NodeError? = try await waitFor("open") { done in
        ws.once(.open) { done(nil) }
        ws.once(.error) { done($0) }
    }
    if let error { throw error }
    return ws
}

/// Opens a client to the echo server on `port`, sends `text` and expects it back: the server
/// still serves a well-behaved client (after an attack, or a refusal of someone else).
@NodeActor
public func expectEchoes(_ text: String, port: Int) async throws {
    let client = try await openClient(port)
    let echo: WebSocketMessage = try await waitFor("an echo of \(text.debugDescription)", seconds: 30) {
        done in
        client.once(.message, done)
        client.send(text)
    }
    #expect(echo == .text(text))
    try client.close()
}
