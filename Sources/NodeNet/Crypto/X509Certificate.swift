import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Node's `crypto.X509Certificate`: a certificate read from PEM or DER, with Node's property names
/// and Node's text forms. It owns one reference to an OpenSSL X509.
///
/// A certificate is never changed after it is made, and OpenSSL allows concurrent reads of one
/// X509 (its lazily computed extension cache is locked), so it is shared freely across threads.
public final class X509Certificate: @unchecked Sendable {
    /// The X509 this object holds one reference to (released in deinit). Borrow it for OpenSSL
    /// calls; `X509_up_ref` it to keep it beyond this object's life.
    let x509: OpaquePointer

    /// Takes over a reference the caller owns (a fresh X509 from a parser or a signer).
    init(taking x509: OpaquePointer) {
        self.x509 = x509
    }

    /// Wraps a certificate someone else owns, taking a reference of its own (`X509_up_ref`).
    ///
    /// For `SSL_get0_peer_certificate` and `SSL_get_peer_cert_chain` entries, which the caller
    /// does not own. A certificate from `SSL_get1_peer_certificate` (`SSL_get_peer_certificate`)
    /// already carries a reference for the caller: hand it to `init(taking:)` instead, or wrap it
    /// here and then `X509_free` it; otherwise the reference leaks.
    init(copying certificate: OpaquePointer) {
        X509_up_ref(certificate)
        x509 = certificate
    }

    /// `new X509Certificate(pem)`: the first certificate in PEM text (a file may hold a chain).
    public convenience init(pem: String) throws {
        try self.init(Buffer(pem))
    }

    /// `new X509Certificate(buffer)`: a certificate as PEM text or as DER bytes.
    public convenience init(_ buffer: Buffer) throws {
        let bytes = buffer.bytes
        let x509 = try withReadBIO(bytes) { bio in
            // DER starts with an ASN.1 SEQUENCE (0x30); anything else is read as PEM, so text that
            // is neither fails as Node's does, with PEM's "no start line".
            bytes.first == 0x30
                ? try checkOpenSSL(d2i_X509_bio(bio, nil), "d2i_X509_bio")
                : try checkOpenSSL(PEM_read_bio_X509(bio, nil, refusePassphrase, nil), "PEM_read_bio_X509")
        }
        self.init(taking: x509)
    }

    deinit {
        X509_free(x509)
    }

    /// Every certificate in PEM `text`, in order: a chain is the leaf, then its issuers.
    static func chain(inPEM text: String) throws -> [X509Certificate] {
        try withReadBIO(Array(text.utf8)) { bio in
            var chain: [X509Certificate] = []
            while let x509 = PEM_read_bio_X509(bio, nil, refusePassphrase, nil) {
                chain.append(X509Certificate(taking: x509))
            }
            ERR_clear_error()  // the loop ends at "no start line"
            return chain
        }
    }

    /// `x509.subject`: `C=CN\nO=深入浅出\nCN=localhost`, one field a line.
    public var subject: String { X509Name.nodeText(X509_get_subject_name(x509)) }

    /// `x509.issuer`: the signer's subject, in the same form.
    public var issuer: String { X509Name.nodeText(X509_get_issuer_name(x509)) }

    /// `x509.subjectAltName`: `DNS:localhost, IP Address:127.0.0.1`; nil without the extension.
    public var subjectAltName: String? { altNames.nodeText }

    /// The subjectAltName entries, for host checks.
    var altNames: [AltName] {
        AltName.take(X509_get_ext_d2i(x509, NID_subject_alt_name, nil, nil))
    }

    /// `x509.validFrom`: the start of validity as OpenSSL prints it, `Nov 29 02:00:00 2026 GMT`.
    public var validFrom: String { printed { ASN1_TIME_print($0, X509_get0_notBefore(x509)) == 1 } }

    /// `x509.validTo`: the end of validity, `Nov 29 02:00:00 2027 GMT`.
    public var validTo: String { printed { ASN1_TIME_print($0, X509_get0_notAfter(x509)) == 1 } }

    /// The start of validity in seconds since 1970 (Node's `validFromDate`, without Foundation).
    public var notBefore: Int { Self.unixTime(X509_get0_notBefore(x509)) }

    /// The end of validity in seconds since 1970 (Node's `validToDate`, without Foundation).
    public var notAfter: Int { Self.unixTime(X509_get0_notAfter(x509)) }

    private static func unixTime(_ time: UnsafePointer<ASN1_TIME>?) -> Int {
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return 0 }
        return Int(timegm(&parts))
    }

    /// `x509.serialNumber`: upper-case hex, as Node prints it (`7415BC97…`).
    public var serialNumber: String {
        let number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509), nil)
        defer { BN_free(number) }
        return takeOpenSSLString(BN_bn2hex(number)) ?? ""
    }

    /// `x509.fingerprint`: SHA-1 of the DER, colon-separated upper-case hex.
    public var fingerprint: String { digest(EVP_sha1()) }

    /// `x509.fingerprint256`: SHA-256 of the DER, `71:12:7B:…`.
    public var fingerprint256: String { digest(EVP_sha256()) }

    /// `x509.fingerprint512`: SHA-512 of the DER.
    public var fingerprint512: String { digest(EVP_sha512()) }

    private func digest(_ algorithm: OpaquePointer?) -> String {
        var bytes = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(x509, algorithm, &bytes, &length) == 1 else { return "" }
        return colonHex(bytes.prefix(Int(length)))
    }

    /// `x509.ca`: whether the certificate may sign others (basicConstraints CA:TRUE).
    public var ca: Bool { X509_check_ca(x509) == 1 }

    /// `x509.publicKey`: the certified public key.
    public var publicKey: KeyObject {
        get throws {
            try KeyObject.publicKey(
                spki: try derEncoded("i2d_X509_PUBKEY") { i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x509), $0) })
        }
    }

    /// `x509.raw`: the DER bytes.
    public var raw: Buffer {
        get throws { Buffer(try derEncoded("i2d_X509") { i2d_X509(x509, $0) }) }
    }

    /// The certificate as PEM text, `-----BEGIN CERTIFICATE-----…`.
    public var pem: String {
        get throws { try textWritten("PEM_write_bio_X509") { PEM_write_bio_X509($0, x509) == 1 } }
    }

    /// `x509.toString()`: the PEM text.
    public func toString() throws -> String { try pem }

    /// `x509.checkHost(name)`: the subject name that matches host `name` (a DNS SAN, or the
    /// common name when there are no DNS SANs), or nil. Wildcards match one label, as in Node.
    /// IP addresses are not host names here, as in Node: use `checkIP`.
    public func checkHost(_ name: String) -> String? {
        var matched: UnsafeMutablePointer<CChar>?
        guard X509_check_host(x509, name, name.utf8.count, 0, &matched) == 1 else {
            ERR_clear_error()
            return nil
        }
        return takeOpenSSLString(matched) ?? name
    }

    /// `x509.checkIP(ip)`: `ip` when it is one of the certificate's IP address SANs, else nil.
    /// Throws `ERR_INVALID_ARG_VALUE` when `ip` is not an IPv4 or IPv6 address.
    public func checkIP(_ ip: String) throws -> String? {
        guard ipBytes(ip) != nil else {
            throw NodeError(code: .invalidArgValue, message: "Invalid IP")
        }
        guard X509_check_ip_asc(x509, ip, 0) == 1 else {
            ERR_clear_error()
            return nil
        }
        return ip
    }

    /// `x509.checkIssued(otherCert)`: whether `other` issued this certificate (names, key
    /// identifiers and key usage agree; the signature is checked by `verify`).
    public func checkIssued(_ other: X509Certificate) -> Bool {
        X509_check_issued(other.x509, x509) == X509_V_OK
    }

    /// `x509.checkPrivateKey(privateKey)`: whether `key` is the private key of this certificate.
    public func checkPrivateKey(_ key: KeyObject) -> Bool {
        defer { ERR_clear_error() }
        return key.type == .private && X509_check_private_key(x509, key.pkey) == 1
    }

    /// `x509.verify(publicKey)`: whether this certificate's signature was made with the private
    /// key of `publicKey` (a private key works too: its public half is used).
    public func verify(_ publicKey: KeyObject) -> Bool {
        defer { ERR_clear_error() }
        return X509_verify(x509, publicKey.pkey) == 1
    }
}
