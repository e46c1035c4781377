// Mutant: cuts at most one frame out of each push, so frames that arrive together wait for the next chunk.
import NodeNet

/// §1.3: to send *messages* over a byte stream, say how long each one is.
///
/// A frame is the payload's length as a 4-byte big-endian number, then the payload itself.
public func encodeFrame(_ payload: Buffer) -> Buffer {
    let length = UInt32(payload.count)
    let header = (0..<4).map { UInt8(truncatingIfNeeded: length >> (24 - 8 * $0)) }
    return Buffer.concat([Buffer(header), payload])
}

/// Turns a stream of chunks back into the payloads of whole frames, however the bytes were cut.
public struct FrameDecoder {
    private var pending: [UInt8] = []

    /// A decoder holding nothing yet.
    public init() {}

    /// Takes one chunk; returns the payload of every frame it completes, in order.
    public mutating func push(_ chunk: Buffer) -> [Buffer] {
        pending += chunk.bytes
        var frames: [Buffer] = []
        while pending.count >= 4 && frames.isEmpty {
            let length = pending[0..<4].reduce(0) { $0 << 8 | Int($1) }
            guard pending.count >= 4 + length else { break }
            frames.append(Buffer(pending[4..<(4 + length)]))
            pending.removeFirst(4 + length)
        }
        return frames
    }
}
