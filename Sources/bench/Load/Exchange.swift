import NIOCore

/// How a closed-loop client talks to a server: what it sends once after connecting and the
/// answer it waits for (a greeting, a WebSocket handshake), then the request it repeats, each
/// time waiting for the whole answer before sending the next.
struct Exchange: Sendable {
    var opening: [UInt8] = []
    var openingReply: Reply = .none
    var request: [UInt8]
    var reply: Reply
}

/// Where one answer ends in the bytes received so far.
enum Reply: Sendable {
    /// Nothing to wait for.
    case none
    /// A fixed number of bytes (the book's TCP server answers every chunk with 你好, 6 bytes).
    case bytes(Int)
    /// An HTTP response head only (the 101 of a WebSocket handshake).
    case head
    /// An HTTP/1.1 response with a Content-Length.
    case httpResponse
    /// One unmasked WebSocket frame from a server.
    case webSocketFrame

    /// The length of the first complete answer in `buffer`, nil while it is incomplete.
    func length(in buffer: ByteBuffer) throws -> Int? {
        switch self {
        case .none: return 0
        case .bytes(let count): return buffer.readableBytes >= count ? count : nil
        case .head: return headLength(buffer)
        case .httpResponse:
            guard let head = headLength(buffer) else { return nil }
            let text = buffer.getString(at: buffer.readerIndex, length: head) ?? ""
            guard text.hasPrefix("HTTP/1.1 200") else { throw BenchError("unexpected response: \(text)") }
            let lengthLine = text.split(separator: "\r\n").first {
                $0.lowercased().hasPrefix("content-length:")
            }
            guard let lengthLine, let body = Int(lengthLine.dropFirst(15).trimmingPrefix(" ")) else {
                throw BenchError("a response without Content-Length: \(text)")
            }
            return buffer.readableBytes >= head + body ? head + body : nil
        case .webSocketFrame:
            guard let second = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) else {
                return nil
            }
            let length = Int(second & 0x7F)
            switch length {
            case 126:
                guard let extended = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self) else {
                    return nil
                }
                return buffer.readableBytes >= 4 + Int(extended) ? 4 + Int(extended) : nil
            case 127: throw BenchError("a frame over 64 KiB in a small-message workload")
            default: return buffer.readableBytes >= 2 + length ? 2 + length : nil
            }
        }
    }

    /// The length of the response head up to and with its blank line.
    private func headLength(_ buffer: ByteBuffer) -> Int? {
        let view = buffer.readableBytesView
        guard view.count >= 4 else { return nil }
        var index = view.startIndex
        while index + 3 < view.endIndex {
            if view[index] == 13, view[index + 1] == 10, view[index + 2] == 13, view[index + 3] == 10 {
                return index + 4 - view.startIndex
            }
            index += 1
        }
        return nil
    }
}

extension Exchange {
    /// The book's §1.2 server: it greets first, then answers each message with 你好.
    static func booksTCP(message: [UInt8]) -> Exchange {
        Exchange(
            openingReply: .bytes(Array("欢迎光临《深入浅出node.js》".utf8).count), request: message,
            reply: .bytes(Array("你好".utf8).count))
    }

    /// One keep-alive HTTP/1.1 request, repeated: a GET, or a POST with `body` bytes.
    static func http(bodyBytes: Int) -> Exchange {
        let head =
            bodyBytes == 0
            ? "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            : "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(bodyBytes)\r\n\r\n"
        return Exchange(
            request: Array(head.utf8) + Array(repeating: UInt8(ascii: "x"), count: bodyBytes),
            reply: .httpResponse)
    }

    /// The §4 echo server at /updates: a handshake, then one small text message after another.
    static func webSocketEcho(text: String) -> Exchange {
        let handshake =
            "GET /updates HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let payload = Array(text.utf8)
        precondition(payload.count < 126)
        // A client's frames are masked (RFC 6455 §5.3); one key for every frame is enough here.
        let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        let frame =
            [0x81, 0x80 | UInt8(payload.count)] + mask
            + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return Exchange(
            opening: Array(handshake.utf8), openingReply: .head, request: frame, reply: .webSocketFrame)
    }
}
