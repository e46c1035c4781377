import NodeNet

/// §2: a datagram has a size limit, and datagrams arrive in any order. Cut a long message into
/// numbered pieces, and put them back together however they arrive.
///
/// Each piece is a 4-byte header, the piece's index and then the number of pieces (each a
/// big-endian UInt16), followed by at most `maxPayload` bytes of the message. An empty message
/// is one piece with no payload.
public func splitIntoDatagrams(_ message: Buffer, maxPayload: Int) -> [Buffer] {
    // Your code here.
    []
}

/// Collects pieces made by `splitIntoDatagrams`, in any order, duplicates included.
public struct Reassembler {
    /// A reassembler that has seen nothing yet.
    public init() {}

    /// Takes one piece. Returns the whole message when its last missing piece arrives, and nil
    /// otherwise, including for duplicates that come after that.
    public mutating func receive(_ datagram: Buffer) -> Buffer? {
        // Your code here.
        nil
    }
}
