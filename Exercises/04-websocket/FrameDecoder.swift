/// §4.3 (帧格式) and §4.2 (数据传输): a WebSocket arrives as TCP bytes, cut anywhere; the server
/// must find the frames in them.
///
/// Push the bytes as they arrive. Each push returns the frames it completes, in order, and keeps
/// the bytes of an unfinished frame for the next push. A frame is a header (see `frameHeader`:
/// the length in its 7-bit, 16-bit or 64-bit form, and a masking key when MASK is set), then
/// the payload. Return masked payloads unmasked (see `mask(_:with:)`).
public struct WebSocketFrameDecoder {
    /// A decoder holding nothing yet.
    public init() {}

    /// Takes the next bytes; returns every frame they complete, in order.
    public mutating func push(_ bytes: [UInt8]) -> [WebSocketFrame] {
        // Your code here.
        []
    }
}

/// One WebSocket frame, its payload unmasked.
public struct WebSocketFrame: Equatable, Sendable {
    /// Whether this frame ends its message (FIN).
    public var fin: Bool
    /// What the frame holds: 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong.
    public var opcode: UInt8
    /// Whether the frame came masked (every frame a client sends does).
    public var masked: Bool
    /// The payload, unmasked.
    public var payload: [UInt8]

    /// A frame with these parts.
    public init(fin: Bool, opcode: UInt8, masked: Bool = false, payload: [UInt8]) {
        self.fin = fin
        self.opcode = opcode
        self.masked = masked
        self.payload = payload
    }
}
