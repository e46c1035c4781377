import COpenSSL

/// When a certificate is valid, as offsets in seconds from the moment it is signed. Negative
/// offsets put it in the past, which is how tests make an expired certificate.
public struct CertificateValidity: Sendable, Equatable {
    /// Seconds from now to the start of validity (notBefore); 0 is now.
    public var notBefore: Int
    /// Seconds from now to the end of validity (notAfter).
    public var notAfter: Int

    /// Validity from `notBefore` to `notAfter` seconds from now.
    public init(notBefore: Int = 0, notAfter: Int) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// From now for `days` days, as `openssl x509 -days`.
    public static func days(_ days: Int) -> CertificateValidity {
        CertificateValidity(notAfter: days * 86_400)
    }
}

/// What a certificate's key may be used for in TLS (extendedKeyUsage).
public enum ExtendedKeyUsage: String, Sendable {
    /// A TLS server's certificate.
    case serverAuth
    /// A TLS client's certificate (`requestCert`).
    case clientAuth
}

/// A certificate authority: a CA certificate and its private key, which signs requests into
/// certificates (`openssl x509 -req -CA ca.crt -CAkey ca.key`).
public struct CertificateAuthority: Sendable {
    /// The CA's certificate, which verifiers trust (Node's `ca` option).
    public let certificate: X509Certificate
    /// The CA's private key.
    public let privateKey: KeyObject

    /// A CA from an existing certificate and its key; throws when the key is not the certificate's.
    public init(certificate: X509Certificate, privateKey: KeyObject) throws {
        try requirePrivate(privateKey)
        try checkOpenSSL(X509_check_private_key(certificate.x509, privateKey.pkey), "X509_check_private_key")
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// A new root CA: a self-signed certificate for `subject` with basicConstraints critical
    /// CA:TRUE, keyUsage critical keyCertSign and cRLSign, and key identifiers, signed with SHA-256
    /// (`openssl req -x509` with OpenSSL's v3_ca section).
    public static func selfSigned(
        privateKey: KeyObject, subject: DistinguishedName, validity: CertificateValidity = .days(3650)
    ) throws -> CertificateAuthority {
        try requirePrivate(privateKey)
        let name = try X509Name.make(subject)
        defer { X509_NAME_free(name) }
        let publicKey = try privateKey.publicHalf()
        let certificate = try withExtendedLifetime(publicKey) {
            try CertificateBuilder(subject: name, publicKey: publicKey.pkey, validity: validity)
        }
        try certificate.sign(
            issuer: nil, issuerName: name, issuerKey: privateKey,
            extensions: [
                (NID_basic_constraints, "critical,CA:TRUE"),
                (NID_key_usage, "critical,keyCertSign,cRLSign"),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid:always"),
            ])
        return try CertificateAuthority(certificate: certificate.finished, privateKey: privateKey)
    }

    /// Signs `request` into a certificate issued by this CA, after checking the request's own
    /// signature. The subject, public key and subjectAltName come from the request; the serial
    /// is 16 random bytes. A leaf gets basicConstraints CA:FALSE, keyUsage digitalSignature and
    /// keyEncipherment, and `extendedKeyUsage`; with `isCA` it is an intermediate CA instead.
    public func sign(
        _ request: CertificateSigningRequest, validity: CertificateValidity = .days(365),
        extendedKeyUsage: [ExtendedKeyUsage] = [.serverAuth], isCA: Bool = false
    ) throws -> X509Certificate {
        guard request.verify() else {
            throw NodeError(
                code: .osslX509SignatureCheckFailed,
                message: "certificate request signature check failed")
        }
        let certificate = try CertificateBuilder(
            subject: X509_REQ_get_subject_name(request.request),
            publicKey: X509_REQ_get0_pubkey(request.request),
            validity: validity)
        try certificate.copySubjectAltName(from: request)
        var extensions: [(nid: Int32, value: String)]
        if isCA {
            extensions = [
                (NID_basic_constraints, "critical,CA:TRUE"), (NID_key_usage, "critical,keyCertSign,cRLSign"),
            ]
        } else {
            extensions = [
                (NID_basic_constraints, "CA:FALSE"),
                (NID_key_usage, "critical,digitalSignature,keyEncipherment"),
            ]
            if !extendedKeyUsage.isEmpty {
                extensions.append(
                    (NID_ext_key_usage, extendedKeyUsage.map(\.rawValue).joined(separator: ",")))
            }
        }
        extensions += [(NID_subject_key_identifier, "hash"), (NID_authority_key_identifier, "keyid:always")]
        try certificate.sign(
            issuer: self.certificate.x509, issuerName: X509_get_subject_name(self.certificate.x509),
            issuerKey: privateKey, extensions: extensions)
        return certificate.finished
    }
}

/// A version 3 certificate being put together: owned by an X509Certificate from the start, so
/// a failure at any step frees it; `finished` hands it out once signed.
private struct CertificateBuilder {
    let finished: X509Certificate
    private var x509: OpaquePointer { finished.x509 }

    init(subject: OpaquePointer?, publicKey: OpaquePointer?, validity: CertificateValidity) throws {
        finished = X509Certificate(taking: try checkOpenSSL(X509_new(), "X509_new"))
        try checkOpenSSL(X509_set_version(x509, 2), "X509_set_version")  // 2 means v3: extensions allowed
        try setRandomSerial()
        guard X509_gmtime_adj(X509_getm_notBefore(x509), validity.notBefore) != nil,
            X509_gmtime_adj(X509_getm_notAfter(x509), validity.notAfter) != nil
        else { throw NodeError.openSSL("X509_gmtime_adj") }
        try checkOpenSSL(X509_set_subject_name(x509, subject), "X509_set_subject_name")
        try checkOpenSSL(X509_set_pubkey(x509, publicKey), "X509_set_pubkey")
    }

    /// 16 random bytes with the top bit clear: unique without a serial file, and positive, as
    /// RFC 5280 requires (a set top bit would make the DER INTEGER negative).
    private func setRandomSerial() throws {
        var bytes = [UInt8](repeating: 0, count: 16)
        try checkOpenSSL(RAND_bytes(&bytes, Int32(bytes.count)), "RAND_bytes")
        bytes[0] &= 0x7F
        let number = try checkOpenSSL(BN_bin2bn(bytes, Int32(bytes.count), nil), "BN_bin2bn")
        defer { BN_free(number) }
        guard BN_to_ASN1_INTEGER(number, X509_get_serialNumber(x509)) != nil else {
            throw NodeError.openSSL("BN_to_ASN1_INTEGER")
        }
    }

    /// Copies the request's subjectAltName extension as it is, as `-copy_extensions copy` does
    /// for that one extension (a request's other wishes, such as CA:TRUE, are the CA's call).
    func copySubjectAltName(from request: CertificateSigningRequest) throws {
        try X509Extensions.withRequestExtensions(request.request) { stack in
            let index = X509v3_get_ext_by_NID(stack, NID_subject_alt_name, -1)
            guard index >= 0 else { return }
            try checkOpenSSL(X509_add_ext(x509, X509v3_get_ext(stack, index), -1), "X509_add_ext")
        }
    }

    /// Sets the issuer, adds `extensions` and signs with `issuerKey`. With no `issuer`
    /// certificate the certificate is its own issuer (self-signed).
    func sign(
        issuer: OpaquePointer?, issuerName: OpaquePointer?, issuerKey: KeyObject,
        extensions: [(nid: Int32, value: String)]
    ) throws {
        try checkOpenSSL(X509_set_issuer_name(x509, issuerName), "X509_set_issuer_name")
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer ?? x509, x509, nil, nil, 0)
        // For a self-signed certificate, the authority key identifier comes from the signing key.
        try checkOpenSSL(X509V3_set_issuer_pkey(&context, issuerKey.pkey), "X509V3_set_issuer_pkey")
        try X509Extensions.add(extensions, to: x509, &context)
        guard X509_sign(x509, issuerKey.pkey, signingDigest(issuerKey)) > 0 else {
            throw NodeError.openSSL("X509_sign")
        }
    }
}
