/// A mutation that knows the input's format (DER's tree, say); false when it cannot read the
/// input, which then gets a byte mutation instead.
public typealias StructuredMutation = @Sendable (inout [UInt8], inout SeededRandom) -> Bool

/// Makes fuzz inputs from a corpus: each input is a corpus entry with a few mutations stacked on
/// it (bit flips, byte inserts and deletes, interesting values, splices with another entry,
/// dictionary tokens, numbers tweaked), all drawn from ``SeededRandom``, so deterministic.
public struct Mutator: Sendable {
    /// The corpus entries mutations start from (never empty).
    public let seeds: [[UInt8]]
    /// Tokens of the target's format, inserted or written over bytes (`\r\n`, `chunked`, …).
    public let dictionary: [[UInt8]]
    /// Inputs are cut to this length.
    public let maxLength: Int
    /// The target's own mutation, which knows the format; used for half the mutations.
    public let structured: StructuredMutation?

    /// A mutator over `seeds`; an empty corpus starts from one empty input.
    public init(seeds: [[UInt8]], dictionary: [String], maxLength: Int, structured: StructuredMutation? = nil)
    {
        self.seeds = seeds.isEmpty ? [[]] : seeds
        self.dictionary = dictionary.map { Array($0.utf8) }
        self.maxLength = maxLength
        self.structured = structured
    }

    /// Bytes the parsers under test treat specially: zero, the ends of signed and unsigned
    /// ranges, and the separators of text protocols.
    static let interestingBytes: [UInt8] = [
        0x00, 0x01, 0x7E, 0x7F, 0x80, 0x81, 0xFE, 0xFF, 0x0D, 0x0A, 0x09, 0x20, 0x3A, 0x3B, 0x2C, 0x3D,
        0x22, 0x30, 0x39, 0x41, 0x46, 0x61, 0x66, 0x7D, 0x2D,
    ]

    /// Input number `index` of the run seeded with `seed`.
    public func input(_ index: UInt64, seed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: seed, index: index)
        var bytes = seeds[random.below(seeds.count)]
        // Now and then the entry itself, so the valid paths stay covered too.
        if random.oneIn(16) { return Array(bytes.prefix(maxLength)) }
        // Mostly one or two mutations, sometimes a pile of them.
        let count = random.oneIn(4) ? 2 + random.below(14) : 1 + random.below(2)
        for _ in 0..<count {
            mutate(&bytes, &random)
        }
        return Array(bytes.prefix(maxLength))
    }

    private func mutate(_ bytes: inout [UInt8], _ random: inout SeededRandom) {
        if let structured, random.oneIn(2), structured(&bytes, &random) { return }
        if bytes.isEmpty {
            bytes = [Self.interestingBytes[random.below(Self.interestingBytes.count)]]
            return
        }
        let at = random.below(bytes.count)
        switch random.below(11) {
        case 0: bytes[at] ^= 1 << UInt8(random.below(8))
        case 1: bytes[at] = Self.interestingBytes[random.below(Self.interestingBytes.count)]
        case 2: bytes[at] = UInt8(truncatingIfNeeded: random.next())
        case 3:
            let inserted = (0..<(1 + random.below(8))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            bytes.insert(contentsOf: inserted, at: at)
        case 4:
            // A run of one byte: long header lines, long digits, floods of one frame byte.
            let byte = Self.interestingBytes[random.below(Self.interestingBytes.count)]
            let length = random.oneIn(8) ? 1 + random.below(4096) : 1 + random.below(64)
            bytes.insert(contentsOf: repeatElement(byte, count: length), at: at)
        case 5: bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(16)))
        case 6:
            // A piece of the input copied elsewhere in it (repeated headers, repeated frames).
            let length = 1 + random.below(min(bytes.count - at, 256))
            let piece = Array(bytes[at..<(at + length)])
            bytes.insert(contentsOf: piece, at: random.below(bytes.count + 1))
        case 7:
            // Splice: this entry's start, another entry's end.
            let other = seeds[random.below(seeds.count)]
            let cut = other.isEmpty ? 0 : random.below(other.count)
            bytes = Array(bytes[..<at]) + other[cut...]
        case 8:
            guard !dictionary.isEmpty else { return bytes[at] ^= 0xFF }
            let token = dictionary[random.below(dictionary.count)]
            if random.oneIn(2) {
                bytes.insert(contentsOf: token, at: at)
            } else {
                bytes.replaceSubrange(at..<min(bytes.count, at + token.count), with: token)
            }
        case 9: tweakNumber(&bytes, near: at, &random)
        default:
            // Binary length fields (WebSocket, DER): a byte or a 16-bit pair at a boundary.
            let values: [UInt16] = [0, 1, 125, 126, 127, 128, 255, 256, 0x7FFF, 0x8000, 0xFFFF]
            let value = values[random.below(values.count)]
            bytes[at] = UInt8(truncatingIfNeeded: value >> (value > 255 ? 8 : 0))
            if value > 255, at + 1 < bytes.count { bytes[at + 1] = UInt8(truncatingIfNeeded: value) }
        }
    }

    /// Replaces the run of (hex) digits at or after `at` with a nearby or extreme number:
    /// Content-Length, chunk sizes, status codes, versions.
    private func tweakNumber(_ bytes: inout [UInt8], near at: Int, _ random: inout SeededRandom) {
        func isHexDigit(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
        guard let start = bytes[at...].firstIndex(where: isHexDigit) else { return }
        let end = bytes[start...].firstIndex { !isHexDigit($0) } ?? bytes.count
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        let hex = random.oneIn(2)
        let value = UInt64(text, radix: hex ? 16 : 10) ?? 0
        let choices: [UInt64] = [
            0, 1, value &+ 1, value &- 1, value &* 2, value / 2, 0x7FFF_FFFF, 0xFFFF_FFFF,
            0x8000_0000_0000_0000,
            UInt64.max, 16384, 65536,
        ]
        var replacement = String(choices[random.below(choices.count)], radix: hex ? 16 : 10)
        if random.oneIn(8) { replacement = String(repeating: "0", count: 1 + random.below(40)) + replacement }
        bytes.replaceSubrange(start..<end, with: Array(replacement.utf8))
    }
}
