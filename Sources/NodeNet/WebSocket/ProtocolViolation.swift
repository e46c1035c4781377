import NIOWebSocket

/// The peer broke RFC 6455: the error the `ws` library reports for it (`WS_ERR_…`, same
/// message), and the close code we send before closing the connection.
struct ProtocolViolation: Error {
    let closeCode: Int
    let error: NodeError

    init(_ closeCode: Int, _ code: NodeError.Code, _ message: String) {
        self.closeCode = closeCode
        error = NodeError(code: code, message: message)
    }

    /// The violation SwiftNIO's decoder reported, if `error` is one.
    init?(_ error: any Error) {
        switch error {
        case let violation as ProtocolViolation:
            self = violation
        case NIOWebSocketError.invalidFrameLength:
            self = .tooBig
        case NIOWebSocketError.fragmentedControlFrame:
            self.init(1002, .wsExpectedFIN, "Invalid WebSocket frame: FIN must be set")
        case NIOWebSocketError.multiByteControlFrameLength:
            self.init(
                1002, .wsInvalidControlPayloadLength,
                "Invalid WebSocket frame: control frames must carry at most 125 bytes")
        default:
            return nil
        }
    }

    static let tooBig = ProtocolViolation(
        1009, .wsUnsupportedMessageLength, "Max payload size exceeded")
    static let invalidUTF8 = ProtocolViolation(
        1007, .wsInvalidUTF8, "Invalid WebSocket frame: invalid UTF-8 sequence")

    /// A fragment where none may be: a continuation with no message begun, or a new message
    /// begun before the last one's final fragment (`opcode` is the frame's).
    static func unfinishedMessage(_ opcode: WebSocketOpcode) -> ProtocolViolation {
        opcode == .continuation
            ? ProtocolViolation(1002, .wsInvalidOpcode, "Invalid WebSocket frame: invalid opcode 0")
            : ProtocolViolation(
                1002, .wsInvalidOpcode,
                "Invalid WebSocket frame: a new message began before the last one ended")
    }

    /// A message in more fragments than the connection allows (1009, as for too many bytes).
    static func tooManyFragments(_ limit: Int) -> ProtocolViolation {
        ProtocolViolation(
            1009, .wsUnsupportedMessageLength, "Too many fragments in one message (over \(limit))")
    }
}

/// Close codes (RFC 6455 §7.4).
enum CloseCode {
    /// Whether `code` may travel in a close frame, either way: the registered codes meant for
    /// the wire, and 3000–4999 for libraries and applications. 1005, 1006 and 1015 only ever
    /// describe a closed connection locally.
    static func isValid(_ code: Int) -> Bool {
        (1000...1003).contains(code) || (1007...1014).contains(code) || (3000...4999).contains(code)
    }
}
