import NodeNet

/// §1.3 (Nagle): TCP delivers bytes, not messages. One `data` chunk may hold half a line, or three.
///
/// Feed each chunk to `push`; it returns the lines completed so far, without their "\n" (and
/// without a "\r" before it), and keeps any unfinished line for the next chunk.
public struct LineSplitter {
    /// A splitter holding nothing yet.
    public init() {}

    /// Takes one chunk; returns every line it completes, in order.
    public mutating func push(_ chunk: Buffer) -> [String] {
        // Your code here.
        []
    }
}
