import NodeNet

/// §1.3: to send *messages* over a byte stream, say how long each one is.
///
/// A frame is the payload's length as a 4-byte big-endian number, then the payload itself.
public func encodeFrame(_ payload: Buffer) -> Buffer {
    // Your code here.
    payload
}

/// Turns a stream of chunks back into the payloads of whole frames, however the bytes were cut.
public struct FrameDecoder {
    /// A decoder holding nothing yet.
    public init() {}

    /// Takes one chunk; returns the payload of every frame it completes, in order.
    public mutating func push(_ chunk: Buffer) -> [Buffer] {
        // Your code here.
        []
    }
}
