import NIOWebSocket

/// One frame as it crossed the wire, for inspection: its header fields and its payload.
public struct WebSocketFrameInfo: Sendable {
    /// Whether this frame ends its message.
    public let fin: Bool
    /// The three reserved bits, RSV1 to RSV3 (all false without extensions).
    public let rsv: (Bool, Bool, Bool)
    /// 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong.
    public let opcode: UInt8
    /// The masking key, if the frame was masked (every client frame is).
    public let maskingKey: [UInt8]?
    /// The payload, unmasked.
    public let payload: Buffer

    /// A frame as the decoder delivered it (its data still masked, if it was).
    init(received frame: WebSocketFrame) {
        self.init(frame, payload: Buffer(frame.unmaskedData))
    }

    /// A frame before the encoder masks it (its data in the clear).
    init(sending frame: WebSocketFrame) {
        self.init(frame, payload: Buffer(frame.data))
    }

    private init(_ frame: WebSocketFrame, payload: Buffer) {
        fin = frame.fin
        rsv = (frame.rsv1, frame.rsv2, frame.rsv3)
        opcode = UInt8(webSocketOpcode: frame.opcode)
        maskingKey = frame.maskKey.map { Array($0) }
        self.payload = payload
    }

    /// The opcode's name: `text`, `binary`, `continuation`, `close`, `ping`, `pong`.
    public var opcodeName: String {
        switch opcode {
        case 0x0: "continuation"
        case 0x1: "text"
        case 0x2: "binary"
        case 0x8: "close"
        case 0x9: "ping"
        case 0xA: "pong"
        default: "reserved"
        }
    }

    /// How the 7-bit length field reads: the length itself, or 126 / 127 for a 16- / 64-bit
    /// length in the bytes after it (always the shortest form, as RFC 6455 §5.2 requires).
    public var lengthField: UInt8 {
        switch payload.count {
        case ..<126: UInt8(payload.count)
        case ..<65536: 126
        default: 127
        }
    }

    /// The header bytes: FIN, RSV and opcode; MASK and length; the extended length; the key.
    public var header: [UInt8] {
        let first = (fin ? 0x80 : 0) | (rsv.0 ? 0x40 : 0) | (rsv.1 ? 0x20 : 0) | (rsv.2 ? 0x10 : 0) | opcode
        var bytes: [UInt8] = [first, (maskingKey == nil ? 0 : 0x80) | lengthField]
        let extended = lengthField == 126 ? 2 : lengthField == 127 ? 8 : 0
        for shift in stride(from: (extended - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: payload.count >> shift))
        }
        return bytes + (maskingKey ?? [])
    }
}
