import NIOCore

/// Checks UTF-8 piece by piece, as the pieces arrive: a byte that cannot continue a valid
/// sequence is caught in the piece it comes in, not once the whole text is in. A character may
/// be cut between two pieces; only at the end must the last one be whole.
struct UTF8Validator {
    /// Continuation bytes still owed by the character in progress.
    private var owed = 0
    /// The range the next continuation byte must fall in. It is narrower than 80…BF right after
    /// E0, ED, F0 and F4: that refuses overlong forms, surrogates and code points past U+10FFFF.
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF

    /// Feeds the next piece; false as soon as a byte makes the text invalid, whatever follows.
    mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        for byte in bytes {
            if owed > 0 {
                guard byte >= low && byte <= high else { return false }
                owed -= 1
                (low, high) = (0x80, 0xBF)
                continue
            }
            switch byte {
            case 0x00...0x7F: continue
            case 0xC2...0xDF: owed = 1
            case 0xE0: (owed, low) = (2, 0xA0)
            case 0xED: (owed, high) = (2, 0x9F)
            case 0xE1...0xEF: owed = 2
            case 0xF0: (owed, low) = (3, 0x90)
            case 0xF4: (owed, high) = (3, 0x8F)
            case 0xF1...0xF3: owed = 3
            default: return false  // 80…C1 and F5…FF never start a character
            }
        }
        return true
    }

    /// Whether the text fed so far ends on a whole character.
    var isComplete: Bool { owed == 0 }
}

extension UTF8Validator {
    /// `bytes` as text if they are whole, valid UTF-8, else nil. Checked here, then decoded by
    /// the standard library's fast path: `String(validating:as:)` runs unspecialized generic
    /// code, about 1,000 instructions for a twelve-byte WebSocket message.
    static func text(_ bytes: ByteBufferView) -> String? {
        var validator = UTF8Validator()
        guard validator.feed(bytes), validator.isComplete else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
