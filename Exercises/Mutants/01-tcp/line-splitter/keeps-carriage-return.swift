// Mutant: keeps the "\r" of a line that ends in "\r\n".
import NodeNet

/// §1.3 (Nagle): TCP delivers bytes, not messages. One `data` chunk may hold half a line, or three.
///
/// Feed each chunk to `push`; it returns the lines completed so far, without their "\n" (and
/// without a "\r" before it), and keeps any unfinished line for the next chunk.
public struct LineSplitter {
    // Bytes, not a String: a chunk may end in the middle of a UTF-8 character.
    private var pending: [UInt8] = []

    /// A splitter holding nothing yet.
    public init() {}

    /// Takes one chunk; returns every line it completes, in order.
    public mutating func push(_ chunk: Buffer) -> [String] {
        pending += chunk.bytes
        var lines: [String] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[..<newline]
            lines.append(String(decoding: line, as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        return lines
    }
}
