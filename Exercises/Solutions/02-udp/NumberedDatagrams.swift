import NodeNet

/// §2: a datagram has a size limit, and datagrams arrive in any order. Cut a long message into
/// numbered pieces, and put them back together however they arrive.
///
/// Each piece is a 4-byte header, the piece's index and then the number of pieces (each a
/// big-endian UInt16), followed by at most `maxPayload` bytes of the message. An empty message
/// is one piece with no payload.
public func splitIntoDatagrams(_ message: Buffer, maxPayload: Int) -> [Buffer] {
    let bytes = message.bytes
    let total = max(1, (bytes.count + maxPayload - 1) / maxPayload)
    return (0..<total).map { index in
        let start = index * maxPayload
        let header = [index >> 8, index & 0xFF, total >> 8, total & 0xFF].map { UInt8($0) }
        return Buffer(header + bytes[start..<min(start + maxPayload, bytes.count)])
    }
}

/// Collects pieces made by `splitIntoDatagrams`, in any order, duplicates included.
public struct Reassembler {
    private var pieces: [Int: [UInt8]] = [:]
    private var delivered = false

    /// A reassembler that has seen nothing yet.
    public init() {}

    /// Takes one piece. Returns the whole message when its last missing piece arrives, and nil
    /// otherwise, including for duplicates that come after that.
    public mutating func receive(_ datagram: Buffer) -> Buffer? {
        let bytes = datagram.bytes
        guard bytes.count >= 4, !delivered else { return nil }
        let index = Int(bytes[0]) << 8 | Int(bytes[1])
        let total = Int(bytes[2]) << 8 | Int(bytes[3])
        pieces[index] = Array(bytes[4...])
        guard pieces.count == total else { return nil }
        delivered = true
        return Buffer((0..<total).flatMap { pieces[$0] ?? [] })
    }
}
