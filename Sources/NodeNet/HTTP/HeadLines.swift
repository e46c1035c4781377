import NIOCore

extension ByteBuffer {
    /// Writes `first`, `separator`, `second`, then `ending`, with one capacity check: a head
    /// written a piece at a time cost about 280 instructions a piece (SwiftNIO checks capacity
    /// and copies through a slice for every write), and a small response's head had twenty.
    mutating func writeLine(
        _ first: String, _ separator: StaticString, _ second: String, ending: StaticString = "\r\n"
    ) {
        let count =
            first.utf8.count + separator.utf8CodeUnitCount + second.utf8.count + ending.utf8CodeUnitCount
        writeWithUnsafeMutableBytes(minimumWritableBytes: count) { out in
            var at = out.put(first, at: 0)
            at = out.put(separator, at: at)
            at = out.put(second, at: at)
            _ = out.put(ending, at: at)
            return count
        }
    }
}

extension UnsafeMutableRawBufferPointer {
    /// Copies `text`'s UTF-8 bytes to `offset`; returns the offset after them.
    fileprivate func put(_ text: String, at offset: Int) -> Int {
        text.withUTF8Bytes { bytes in offset + copy(UnsafeRawBufferPointer(bytes), to: offset) }
    }

    fileprivate func put(_ text: StaticString, at offset: Int) -> Int {
        text.withUTF8Buffer { bytes in offset + copy(UnsafeRawBufferPointer(bytes), to: offset) }
    }

    /// Copies `bytes` to `offset`; returns how many.
    private func copy(_ bytes: UnsafeRawBufferPointer, to offset: Int) -> Int {
        UnsafeMutableRawBufferPointer(rebasing: self[offset...]).copyMemory(from: bytes)
        return bytes.count
    }
}
