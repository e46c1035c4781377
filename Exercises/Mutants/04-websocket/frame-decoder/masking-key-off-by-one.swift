// Mutant: unmasks with the masking key rotated by one byte (starting at its second byte), so masked payloads come out wrong.
/// §4.3 (帧格式) and §4.2 (数据传输): a WebSocket arrives as TCP bytes, cut anywhere; the server
/// must find the frames in them.
///
/// Push the bytes as they arrive. Each push returns the frames it completes, in order, and keeps
/// the bytes of an unfinished frame for the next push. A frame is a header (see `frameHeader`:
/// the length in its 7-bit, 16-bit or 64-bit form, and a masking key when MASK is set), then
/// the payload. Return masked payloads unmasked (see `mask(_:with:)`).
public struct WebSocketFrameDecoder {
    /// The bytes pushed that are not part of a returned frame yet.
    private var pending: [UInt8] = []

    /// A decoder holding nothing yet.
    public init() {}

    /// Takes the next bytes; returns every frame they complete, in order.
    public mutating func push(_ bytes: [UInt8]) -> [WebSocketFrame] {
        pending += bytes
        var frames: [WebSocketFrame] = []
        var start = 0
        while case let (frame, length)? = nextFrame(at: start) {
            frames.append(frame)
            start += length
        }
        pending.removeFirst(start)
        return frames
    }

    /// The frame starting at `start` and its length in bytes, if all of it is there.
    private func nextFrame(at start: Int) -> (WebSocketFrame, Int)? {
        let available = pending.count - start
        guard available >= 2 else { return nil }
        let first = pending[start]
        let second = pending[start + 1]
        let masked = second & 0x80 != 0
        var headerLength = 2
        var payloadLength = Int(second & 0x7F)
        if payloadLength >= 126 {
            let size = payloadLength == 126 ? 2 : 8
            guard available >= 2 + size else { return nil }
            var length: UInt64 = 0
            for byte in pending[(start + 2)..<(start + 2 + size)] { length = length << 8 | UInt64(byte) }
            // RFC 6455 keeps the top bit 0; a larger length would never complete anyway.
            payloadLength = Int(clamping: length)
            headerLength += size
        }
        if masked { headerLength += 4 }
        guard available >= headerLength, available - headerLength >= payloadLength else { return nil }
        let payloadStart = start + headerLength
        var payload = Array(pending[payloadStart..<(payloadStart + payloadLength)])
        if masked {
            payload = mask(
                payload, with: Array(pending[(payloadStart - 3)..<payloadStart]) + [pending[payloadStart - 4]]
            )
        }
        let frame = WebSocketFrame(
            fin: first & 0x80 != 0, opcode: first & 0x0F, masked: masked, payload: payload)
        return (frame, headerLength + payloadLength)
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
