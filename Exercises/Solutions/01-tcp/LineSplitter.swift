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
            var line = pending[..<newline]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            lines.append(String(decoding: line, as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        return lines
    }
}
