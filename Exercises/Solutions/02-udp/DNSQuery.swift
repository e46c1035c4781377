import NodeNet

/// §2: DNS, the book's example of a UDP protocol (RFC 1035).
///
/// A query for the A records of `name`: a 12-byte header (`id`, flags 0x0100 for "recursion
/// desired", one question, no other records), then the question: the name as length-prefixed
/// labels ending in a zero byte, type A (1), class IN (1). Numbers are big-endian.
public func encodeDNSQuery(id: UInt16, name: String) -> Buffer {
    func bigEndian(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    var bytes = bigEndian(id) + bigEndian(0x0100) + bigEndian(1) + bigEndian(0) + bigEndian(0) + bigEndian(0)
    for label in name.split(separator: ".") {
        bytes.append(UInt8(label.utf8.count))
        bytes += label.utf8
    }
    bytes += [0] + bigEndian(1) + bigEndian(1)
    return Buffer(bytes)
}

/// The IPv4 addresses in the A records of the answer section of `response`, in order, as
/// dotted text. Names in answers may be compressed: a byte with its top two bits set starts a
/// 2-byte pointer, and the name ends there.
public func decodeARecords(_ response: Buffer) -> [String] {
    let bytes = response.bytes
    func number(at offset: Int) -> Int { Int(bytes[offset]) << 8 | Int(bytes[offset + 1]) }
    /// The offset just past the name that starts at `offset`.
    func skipName(at offset: Int) -> Int {
        var offset = offset
        while bytes[offset] != 0 {
            if bytes[offset] & 0xC0 == 0xC0 { return offset + 2 }
            offset += Int(bytes[offset]) + 1
        }
        return offset + 1
    }
    guard bytes.count >= 12 else { return [] }
    var offset = 12
    for _ in 0..<number(at: 4) { offset = skipName(at: offset) + 4 }
    var addresses: [String] = []
    for _ in 0..<number(at: 6) {
        offset = skipName(at: offset)
        let type = number(at: offset)
        let length = number(at: offset + 8)
        let data = offset + 10
        if type == 1 && length == 4 {
            addresses.append(bytes[data..<(data + 4)].map(String.init).joined(separator: "."))
        }
        offset = data + length
    }
    return addresses
}
