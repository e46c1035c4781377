import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension AddressInfo {
    /// The address, family and port of a SwiftNIO address, as Node reports them (`rinfo`,
    /// `socket.remoteAddress`).
    init(_ address: SocketAddress) {
        let text: String
        if case .v4(let v4) = address {
            text = Self.dottedQuad(v4.address.sin_addr)
        } else {
            text = address.ipAddress ?? "?"
        }
        let family: String
        if case .v6 = address { family = "IPv6" } else { family = "IPv4" }
        self.init(address: text, family: family, port: address.port ?? 0)
    }

    /// `127.0.0.1`, written from the four bytes: SwiftNIO's `ipAddress` calls `inet_ntop`, which
    /// formats with `sprintf`, about 3,500 instructions for every datagram a UDP server receives.
    static func dottedQuad(_ address: in_addr) -> String {
        withUnsafeBytes(of: address.s_addr) { octets in
            // At most 15 bytes: a small string, made without a heap allocation.
            String(unsafeUninitializedCapacity: 15) { text in
                var count = 0
                func append(_ byte: UInt8) {
                    text[count] = byte
                    count += 1
                }
                for (index, octet) in octets.enumerated() {
                    if index > 0 { append(UInt8(ascii: ".")) }
                    if octet >= 100 { append(UInt8(ascii: "0") + octet / 100) }
                    if octet >= 10 { append(UInt8(ascii: "0") + octet / 10 % 10) }
                    append(UInt8(ascii: "0") + octet % 10)
                }
                return count
            }
        }
    }
}
