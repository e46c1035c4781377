import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One subjectAltName entry, as read from a certificate or a request.
enum AltName: Equatable {
    /// `DNS:localhost`
    case dns(String)
    /// `IP Address:127.0.0.1`: the 4 or 16 address bytes.
    case ip([UInt8])
    /// Any other kind, already in Node's printed form (`email:…`, `URI:…`, `DirName:…`).
    case other(String)

    /// The entries of a GENERAL_NAMES stack (OpenSSL's decoded subjectAltName), which this frees.
    static func take(_ names: UnsafeMutableRawPointer?) -> [AltName] {
        guard let names else { return [] }
        let stack = OpaquePointer(names)
        defer { GENERAL_NAMES_free(stack) }
        return (0..<OPENSSL_sk_num(stack)).compactMap { index in
            OPENSSL_sk_value(stack, index).map { AltName($0.assumingMemoryBound(to: GENERAL_NAME.self)) }
        }
    }

    private init(_ name: UnsafeMutablePointer<GENERAL_NAME>) {
        let kind = name.pointee.type
        switch kind {
        case GEN_DNS: self = .dns(String(decoding: Self.bytes(name.pointee.d.dNSName), as: UTF8.self))
        case GEN_IPADD: self = .ip(Self.bytes(name.pointee.d.iPAddress))
        case GEN_EMAIL: self = .other("email:" + Self.quotedIfUnsafe(Self.bytes(name.pointee.d.rfc822Name)))
        case GEN_URI:
            self = .other("URI:" + Self.quotedIfUnsafe(Self.bytes(name.pointee.d.uniformResourceIdentifier)))
        default:
            // Directory names, other names, registered IDs: rare in TLS; OpenSSL's own text.
            self = .other(printed { GENERAL_NAME_print($0, name) == 1 })
        }
    }

    private static func bytes(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> [UInt8] {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
    }

    /// The entry as Node's `x509.subjectAltName` prints it: `DNS:localhost`, `IP Address:127.0.0.1`,
    /// IPv6 as eight upper-case hex groups (`IP Address:0:0:0:0:0:0:0:1`).
    var nodeText: String {
        switch self {
        case .dns(let name): return "DNS:" + Self.quotedIfUnsafe(Array(name.utf8))
        case .ip(let bytes) where bytes.count == 4:
            return "IP Address:" + bytes.map(String.init).joined(separator: ".")
        case .ip(let bytes) where bytes.count == 16:
            let groups = stride(from: 0, to: 16, by: 2).map { Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]) }
            return "IP Address:"
                + groups.map { String($0, radix: 16, uppercase: true) }.joined(separator: ":")
        case .ip(let bytes): return "IP Address:<invalid length=\(bytes.count)>"
        case .other(let text): return text
        }
    }

    /// An IP address entry in the canonical text Node compares hosts with (`::1`, `127.0.0.1`).
    var canonicalIP: String? {
        guard case .ip(let bytes) = self else { return nil }
        return ipText(bytes)
    }

    /// Node quotes a name holding a comma, a quote, a backslash or a non-printable byte, so that
    /// the comma-separated list cannot be forged by a name that itself contains ", DNS:…".
    private static func quotedIfUnsafe(_ bytes: [UInt8]) -> String {
        let unsafe: Set<UInt8> = [
            UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: ","), UInt8(ascii: "'"),
        ]
        guard bytes.contains(where: { unsafe.contains($0) || $0 < 0x20 || $0 > 0x7E }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var text = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): text += "\\" + String(UnicodeScalar(byte))
            case 0x20...0x7E where byte != UInt8(ascii: ","): text.append(Character(UnicodeScalar(byte)))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return text + "\""
    }
}

extension [AltName] {
    /// Node's `subjectAltName`: the entries joined by ", "; nil when there are none.
    var nodeText: String? {
        isEmpty ? nil : map(\.nodeText).joined(separator: ", ")
    }
}

/// The 4 or 16 bytes of an IP address written as text (nil when `text` is not one).
func ipBytes(_ text: String) -> [UInt8]? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
    return nil
}

/// The canonical text of 4 or 16 address bytes (`127.0.0.1`, `::1`), as Node's canonicalizeIP.
func ipText(_ bytes: [UInt8]) -> String? {
    let family = bytes.count == 4 ? AF_INET : bytes.count == 16 ? AF_INET6 : -1
    guard family != -1 else { return nil }
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    let written = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &text, socklen_t(text.count)) }
    guard written != nil else { return nil }
    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
