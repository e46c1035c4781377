import NodeNet

/// §2: DNS, the book's example of a UDP protocol (RFC 1035).
///
/// A query for the A records of `name`: a 12-byte header (`id`, flags 0x0100 for "recursion
/// desired", one question, no other records), then the question: the name as length-prefixed
/// labels ending in a zero byte, type A (1), class IN (1). Numbers are big-endian.
public func encodeDNSQuery(id: UInt16, name: String) -> Buffer {
    // Your code here.
    Buffer([])
}

/// The IPv4 addresses in the A records of the answer section of `response`, in order, as
/// dotted text. Names in answers may be compressed: a byte with its top two bits set starts a
/// 2-byte pointer, and the name ends there.
public func decodeARecords(_ response: Buffer) -> [String] {
    // Your code here.
    []
}
