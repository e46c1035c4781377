/// Holds back the bytes of a UTF-8 character cut off at the end of a chunk, so that every chunk
/// passed on decodes whole (what Node's `StringDecoder` does for `setEncoding('utf8')`).
struct UTF8ChunkBoundary {
    private var carried: [UInt8] = []

    mutating func wholeCharacters(of chunk: Buffer) -> Buffer {
        let bytes = carried + chunk.bytes
        let cut = Self.endOfLastWholeCharacter(bytes)
        carried = Array(bytes[cut...])
        return cut == bytes.count && carried.isEmpty ? Buffer(bytes) : Buffer(bytes[..<cut])
    }

    /// The index after the last complete character: a trailing lead byte whose continuation bytes
    /// have not all arrived is excluded. Invalid bytes are passed on (they decode to U+FFFD).
    static func endOfLastWholeCharacter(_ bytes: [UInt8]) -> Int {
        var index = bytes.count - 1
        var continuation = 0
        while index >= 0, continuation < 3, bytes[index] & 0xC0 == 0x80 {
            index -= 1
            continuation += 1
        }
        guard index >= 0 else { return bytes.count }
        let lead = bytes[index]
        let needed =
            switch lead {
            case 0xC0...0xDF: 1
            case 0xE0...0xEF: 2
            case 0xF0...0xF7: 3
            default: 0
            }
        return needed > continuation ? index : bytes.count
    }
}
