import Kata
import Testing

@Suite struct FrameHeaderKata {
    /// Bytes as hex, the way RFC 6455 writes them: `81 05`.
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.isEmpty
            ? "nothing" : bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
    }

    private func check(
        fin: Bool = true, opcode: UInt8, length: Int, key: [UInt8]? = nil, _ expected: [UInt8],
        _ situation: String
    ) {
        let header = frameHeader(fin: fin, opcode: opcode, payloadLength: length, maskingKey: key)
        #expect(
            header == expected, "\(situation): the header is \(hex(expected)); you returned \(hex(header))")
    }

    @Test func theRFCsExamples() {
        check(opcode: 1, length: 5, [0x81, 0x05], "RFC 6455 §5.7: an unmasked text frame holding \"Hello\"")
        check(
            opcode: 1, length: 5, key: [0x37, 0xfa, 0x21, 0x3d], [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d],
            "RFC 6455 §5.7: \"Hello\" masked with the key 37 fa 21 3d (MASK set, then the key)")
        check(
            fin: false, opcode: 1, length: 3, [0x01, 0x03],
            "RFC 6455 §5.7: the first fragment \"Hel\" of a text message (no FIN)")
        check(
            opcode: 0, length: 2, [0x80, 0x02],
            "RFC 6455 §5.7: the last fragment \"lo\", a continuation with FIN")
        check(opcode: 9, length: 5, [0x89, 0x05], "RFC 6455 §5.7: an unmasked ping holding \"Hello\"")
        check(
            opcode: 2, length: 256, [0x82, 0x7E, 0x01, 0x00],
            "RFC 6455 §5.7: 256 bytes of binary data (the 16-bit length form)")
        check(
            opcode: 2, length: 65536, [0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00],
            "RFC 6455 §5.7: 64 KiB of binary data (the 64-bit length form)")
    }

    @Test func eachLengthInItsShortestForm() {
        check(opcode: 1, length: 0, [0x81, 0x00], "an empty text frame")
        check(opcode: 1, length: 125, [0x81, 0x7D], "125 bytes still fit in the 7 bits")
        check(
            opcode: 1, length: 126, [0x81, 0x7E, 0x00, 0x7E], "126 bytes need the 16-bit form: 7E, then 00 7e"
        )
        check(
            opcode: 1, length: 65535, [0x81, 0x7E, 0xFF, 0xFF],
            "65535 bytes are the most the 16-bit form holds")
        check(
            opcode: 1, length: 65536, [0x81, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00],
            "65536 bytes need the 64-bit form: 7F, then 8 bytes")
        check(
            opcode: 2, length: 4_294_967_301, [0x82, 0x7F, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05],
            "2^32 + 5 bytes: all 8 bytes of the length count, most significant first")
        check(
            opcode: 2, length: 0x0102_0304_0506_0708,
            [0x82, 0x7F, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08],
            "the length 0x0102030405060708")
    }

    @Test func finAndOpcodeShareTheFirstByte() {
        check(fin: false, opcode: 2, length: 1, [0x02, 0x01], "a binary frame that does not end its message")
        check(
            fin: false, opcode: 0, length: 1, [0x00, 0x01],
            "a continuation frame that does not end its message")
        check(opcode: 8, length: 2, [0x88, 0x02], "a close frame holding a 2-byte status code")
        check(opcode: 10, length: 0, [0x8A, 0x00], "an empty pong")
    }

    @Test func theMaskBitAndKeyGoWithEveryLengthForm() {
        let key: [UInt8] = [1, 2, 3, 4]
        check(opcode: 1, length: 0, key: key, [0x81, 0x80, 1, 2, 3, 4], "an empty masked text frame")
        check(
            opcode: 2, length: 126, key: key, [0x82, 0xFE, 0x00, 0x7E, 1, 2, 3, 4],
            "126 masked bytes: MASK | 126 is FE, then the length, then the key")
        check(
            opcode: 2, length: 65536, key: key, [0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 3, 4],
            "65536 masked bytes: MASK | 127 is FF, then 8 bytes of length, then the key")
    }
}
