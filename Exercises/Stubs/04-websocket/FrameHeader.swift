/// §4.3 (帧格式, which the book skips): the bytes in front of every WebSocket frame's payload
/// (RFC 6455 §5.2).
///
///      0               1               2               3
///     +-+-+-+-+-------+-+-------------+-------------------------------+
///     |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
///     |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
///     |N|V|V|V|       |S|             |   (if payload len==126/127)   |
///     | |1|2|3|       |K|             |                               |
///     +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
///     |  Extended payload length continued, if payload len == 127     |
///     + - - - - - - - - - - - - - - - +-------------------------------+
///     |                               | Masking-key, if MASK set to 1 |
///     +-------------------------------+-------------------------------+
///
/// - The first byte: 0x80 (FIN) when this frame ends its message, the three RSV bits left at 0,
///   and the opcode (0 to 15) in the low 4 bits.
/// - The second byte: 0x80 (MASK) when a masking key follows, and the length in the low 7 bits:
///   a length up to 125 is written there as it is. Up to 65535, the 7 bits say 126 and the length
///   follows in 2 bytes; above, they say 127 and it follows in 8 bytes. Always use the shortest
///   form; the most significant byte comes first.
/// - Then the 4 bytes of the masking key, if there is one.
///
/// Return these bytes (the payload itself is not part of them).
public func frameHeader(fin: Bool, opcode: UInt8, payloadLength: Int, maskingKey: [UInt8]?) -> [UInt8] {
    // Your code here.
    []
}
