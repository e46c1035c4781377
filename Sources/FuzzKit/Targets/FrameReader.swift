/// Reads what a WebSocket server wrote after its `101` as a sequence of frames, checking each as
/// a client must (RFC 6455 §5): no reserved bits or opcodes, no mask from a server, minimal
/// lengths, control frames short and final, close codes a server may send, nothing after a close.
struct FrameReader {
    /// One frame read.
    struct Frame {
        var fin: Bool
        var opcode: UInt8
        var payload: ArraySlice<UInt8>

        /// The status code of a close frame, if it has one.
        var closeCode: Int? {
            payload.count >= 2
                ? Int(payload[payload.startIndex]) << 8 | Int(payload[payload.startIndex + 1]) : nil
        }
    }

    private let bytes: [UInt8]
    private var position: Int
    private var closed = false

    init(_ bytes: [UInt8], from start: Int) {
        self.bytes = bytes
        position = start
    }

    /// The next frame, nil at the end of the bytes; throws what is malformed.
    mutating func next() throws(ResponseReader.Malformed) -> Frame? {
        guard position < bytes.count else { return nil }
        guard !closed else { throw .init("bytes after the close frame") }
        guard position + 2 <= bytes.count else { throw .init("a frame cut short") }
        let first = bytes[position]
        let second = bytes[position + 1]
        let opcode = first & 0x0F
        guard first & 0x70 == 0 else { throw .init("reserved bits set in a server frame") }
        guard [0, 1, 2, 8, 9, 10].contains(opcode) else { throw .init("reserved opcode \(opcode)") }
        guard second & 0x80 == 0 else { throw .init("a masked server frame") }
        var length = Int(second & 0x7F)
        var headerLength = 2
        if length == 126 {
            guard position + 4 <= bytes.count else { throw .init("a frame cut short") }
            length = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            headerLength = 4
            guard length >= 126 else { throw .init("a 16-bit length below 126") }
        } else if length == 127 {
            guard position + 10 <= bytes.count else { throw .init("a frame cut short") }
            length = bytes[(position + 2)..<(position + 10)].reduce(0) { $0 << 8 | Int($1) }
            headerLength = 10
            guard length > 0xFFFF else { throw .init("a 64-bit length below 65536") }
        }
        let payloadStart = position + headerLength
        guard length >= 0, payloadStart + length <= bytes.count else { throw .init("a frame cut short") }
        let frame = Frame(
            fin: first & 0x80 != 0, opcode: opcode, payload: bytes[payloadStart..<(payloadStart + length)])
        position = payloadStart + length
        if opcode >= 8 {
            guard frame.fin, length <= 125 else { throw .init("a fragmented or long control frame") }
        }
        if opcode == 8 { try checkClose(frame) }
        return frame
    }

    private mutating func checkClose(_ frame: Frame) throws(ResponseReader.Malformed) {
        closed = true
        guard frame.payload.count != 1 else { throw .init("a close frame of one byte") }
        // The codes ws accepts and sends: 1000–1014 but the three never sent on the wire (1004
        // reserved, 1005 no status, 1006 abnormal closure), and 3000–4999 for libraries and apps.
        if let code = frame.closeCode, !(1000...1014).contains(code) || [1004, 1005, 1006].contains(code),
            !(3000...4999).contains(code)
        {
            throw .init("close code \(code), which a server may not send")
        }
        guard String(validating: frame.payload.dropFirst(2), as: UTF8.self) != nil else {
            throw .init("a close reason that is not UTF-8")
        }
    }
}
