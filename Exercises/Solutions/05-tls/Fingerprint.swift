import NodeNet

/// §5.1.2: a certificate's fingerprint, the short name people compare and programs pin.
///
/// Return the fingerprint of `certificate` with the hash `algorithm` (`sha1`, `sha256`, `sha512`):
/// the hash of the certificate's DER bytes (`certificate.raw`, the bytes PEM wraps in base64),
/// as upper-case hex, two digits a byte, the bytes joined by `:`. That is what Node's
/// `fingerprint`, `fingerprint256` and `fingerprint512` hold and what
/// `openssl x509 -noout -fingerprint -sha256` prints. An unknown algorithm throws
/// `crypto.createHash`'s error.
///
/// SHA-1 and SHA-256 are hashes, not ciphers (the book's §5 counts sha1 and md5 among crypto's
/// 加密算法): nothing is encrypted, and nobody can get the certificate back from its fingerprint.
public func certificateFingerprint(_ certificate: X509Certificate, algorithm: String) throws -> String {
    let hex = try crypto.createHash(algorithm).update(certificate.raw).digest(.hex).uppercased()
    var pairs: [String] = []
    var rest = Substring(hex)
    while !rest.isEmpty {
        pairs.append(String(rest.prefix(2)))
        rest = rest.dropFirst(2)
    }
    return pairs.joined(separator: ":")
}
