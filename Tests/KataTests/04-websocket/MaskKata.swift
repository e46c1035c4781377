import Kata
import Testing

@Suite struct MaskKata {
    static let key: [UInt8] = [0x37, 0xfa, 0x21, 0x3d]

    /// Bytes as hex, the way RFC 6455 writes them: `7f 9f 4d`.
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.isEmpty
            ? "nothing" : bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
    }

    @Test func theRFCsMaskedHello() {
        let masked = mask(Array("Hello".utf8), with: Self.key)
        #expect(
            masked == [0x7f, 0x9f, 0x4d, 0x51, 0x58],
            "RFC 6455 §5.7: \"Hello\" (48 65 6c 6c 6f) masked with 37 fa 21 3d is 7f 9f 4d 51 58; you returned \(hex(masked))"
        )
        let unmasked = mask([0x7f, 0x9f, 0x4d, 0x51, 0x58], with: Self.key)
        #expect(
            unmasked == Array("Hello".utf8),
            "masking 7f 9f 4d 51 58 again with the same key gives \"Hello\" (48 65 6c 6c 6f) back; you returned \(hex(unmasked))"
        )
    }

    @Test func theKeyRepeatsEveryFourBytes() {
        let masked = mask([0, 0, 0, 0, 0, 0, 0, 0, 0], with: [1, 2, 3, 4])
        #expect(
            masked == [1, 2, 3, 4, 1, 2, 3, 4, 1],
            "nine zero bytes masked with 01 02 03 04: byte i gets key[i % 4], so 01 02 03 04 01 02 03 04 01; you returned \(hex(masked))"
        )
    }

    @Test func maskingTwiceGivesThePayloadBack() {
        let payload = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let masked = mask(payload, with: Self.key)
        #expect(masked.count == 1000, "1000 bytes masked are still 1000 bytes; you returned \(masked.count)")
        #expect(masked != payload, "masking with 37 fa 21 3d changes the bytes; yours came back unchanged")
        #expect(
            mask(masked, with: Self.key) == payload,
            "masking the masked bytes with the same key must give the 1000 bytes back")
    }

    @Test func anEmptyPayloadStaysEmpty() {
        let masked = mask([], with: Self.key)
        #expect(masked == [], "an empty payload masks to nothing; you returned \(hex(masked))")
    }
}
