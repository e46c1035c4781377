/// §4.2 (数据传输): one `send()` may go out as one frame or as several, and the receiver puts
/// the message back together (RFC 6455 §5.4).
///
/// A message starts with a text (opcode 1) or binary (opcode 2) frame. If that frame has FIN, it
/// is the whole message. If not, continuation frames (opcode 0) follow, and the one with FIN
/// ends it; the message is the payloads joined, and its opcode is the first frame's.
///
/// Control frames (8 close, 9 ping, 10 pong) are never fragmented, and may come between the
/// frames of a message: deliver them at once, and go on with the message after.
///
/// Push the frames one by one, in the order they arrived. Each push returns the event it
/// completes, or nil when the message is not finished yet. Throw
/// `.continuationWithoutStart` for a continuation frame when no message is under way, and
/// `.unfinishedMessage` for a text or binary frame while one is.
public struct MessageAssembler {
    /// An assembler with no message under way.
    public init() {}

    /// Takes the next frame; returns the message or control frame it completes, if any.
    public mutating func push(_ frame: WebSocketFrame) throws(WebSocketProtocolError) -> WebSocketEvent? {
        // Your code here.
        nil
    }
}

/// What the assembler delivers.
public enum WebSocketEvent: Equatable, Sendable {
    /// A whole message: its opcode (1 text, 2 binary) and all its bytes.
    case message(opcode: UInt8, payload: [UInt8])
    /// A control frame: its opcode (8 close, 9 ping, 10 pong) and its payload.
    case control(opcode: UInt8, payload: [UInt8])
}

/// Frames in an order RFC 6455 does not allow.
public enum WebSocketProtocolError: Error, Equatable, Sendable {
    /// A continuation frame (opcode 0) when no message was under way.
    case continuationWithoutStart
    /// A text or binary frame before the message under way had its frame with FIN.
    case unfinishedMessage

    /// The status code to close the connection with: 1002, protocol error (RFC 6455 §7.4.1).
    public var closeCode: Int { 1002 }
}
