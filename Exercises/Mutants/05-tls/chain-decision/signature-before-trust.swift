// Mutant: checks the signature before asking whether the issuer is trusted, so an untrusted issuer with a signature that does not verify gets CERT_SIGNATURE_FAILURE.
/// §5.1.2 (数字证书): the man in the middle, caught. What a client decides about the certificate
/// a server presents.
///
/// The book's interceptor (中间人) plays the server to the client. It can present a certificate
/// with the right host name, but not one signed by a CA the client trusts: its own CA's signature
/// is refused, and a copied signature does not match what it changed. Decide as Node does, and
/// return nil to accept, or Node's code (`socket.authorizationError`) for the problem it reports.
///
/// OpenSSL looks at the certificate in this order, and carries on past each problem it finds:
/// 1. Who signed it. A self-signed certificate (`issuer == subject`) passes only when it is itself
///    trusted (`issuerIsTrusted`), else `DEPTH_ZERO_SELF_SIGNED_CERT`; its own signature proves
///    nothing, so its `signatureVerifies` is not looked at. Any other certificate whose issuer is
///    not trusted: `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, since without the issuer's key the
///    signature cannot be checked. That is what the interceptor's own CA gets.
/// 2. The signature, when the issuer is trusted: if it does not verify with the issuer's key,
///    the certificate is forged: `CERT_SIGNATURE_FAILURE`.
/// 3. The dates. It is valid from `notBefore` up to, but not including, `notAfter` (at `notAfter`
///    itself it has expired, as OpenSSL 3 compares). `now` before `notBefore`:
///    `CERT_NOT_YET_VALID`. `now` at or after `notAfter`: `CERT_HAS_EXPIRED`.
///
/// Node reports the last problem OpenSSL met, so a date problem hides the others: an expired
/// certificate from an unknown CA is `CERT_HAS_EXPIRED`, not `UNABLE_TO_VERIFY_LEAF_SIGNATURE`.
///
/// Only when OpenSSL found no problem does Node check the host (`tls.checkServerIdentity`):
/// `ERR_TLS_CERT_ALTNAME_INVALID` unless one of `altNames` matches `host`, or, when `altNames` is
/// empty, the `subject`. Names match whatever their case. A name whose first label is `*` covers
/// exactly one label there: `*.example.com` matches `a.example.com`, but neither
/// `a.b.example.com` nor `example.com`.
public func judgeCertificate(_ certificate: PresentedCertificate, host: String, now: Int) -> String? {
    // OpenSSL's problems in the order it meets them; Node keeps the last one.
    var problem: String?
    let selfSigned = certificate.issuer == certificate.subject
    if selfSigned {
        if !certificate.issuerIsTrusted { problem = "DEPTH_ZERO_SELF_SIGNED_CERT" }
    } else if !certificate.signatureVerifies {
        problem = "CERT_SIGNATURE_FAILURE"
    } else if !certificate.issuerIsTrusted {
        problem = "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
    }
    if now < certificate.notBefore { problem = "CERT_NOT_YET_VALID" }
    if now >= certificate.notAfter { problem = "CERT_HAS_EXPIRED" }
    if let problem { return problem }
    let names = certificate.altNames.isEmpty ? [certificate.subject] : certificate.altNames
    return names.contains { hostMatches(host, $0) } ? nil : "ERR_TLS_CERT_ALTNAME_INVALID"
}

/// Whether `name` from a certificate covers `host`: label by label, without case; a first label
/// `*` stands for any one label.
private func hostMatches(_ host: String, _ name: String) -> Bool {
    let hostLabels = host.lowercased().split(separator: ".", omittingEmptySubsequences: false)
    let nameLabels = name.lowercased().split(separator: ".", omittingEmptySubsequences: false)
    guard hostLabels.count == nameLabels.count, let first = nameLabels.first else { return false }
    return (first == "*" || first == hostLabels[0]) && hostLabels.dropFirst() == nameLabels.dropFirst()
}

/// What a client learns about the certificate a server presents, as the checks need it.
public struct PresentedCertificate: Sendable {
    /// The subject's common name (CN): `localhost`.
    public var subject: String
    /// The DNS names of its subjectAltName: `["localhost", "*.example.com"]`; may be empty.
    public var altNames: [String]
    /// The common name of the CA that signed it; the same as `subject` when it is self-signed.
    public var issuer: String
    /// The start of its validity, in seconds since 1970.
    public var notBefore: Int
    /// The end of its validity, in seconds since 1970.
    public var notAfter: Int
    /// Whether its signature verifies with the issuer's public key.
    public var signatureVerifies: Bool
    /// Whether its issuer is one of the CAs the client trusts (Node's `ca` option). For a
    /// self-signed certificate: whether the certificate itself is.
    public var issuerIsTrusted: Bool

    /// A certificate with these fields.
    public init(
        subject: String, altNames: [String], issuer: String, notBefore: Int, notAfter: Int,
        signatureVerifies: Bool, issuerIsTrusted: Bool
    ) {
        self.subject = subject
        self.altNames = altNames
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.signatureVerifies = signatureVerifies
        self.issuerIsTrusted = issuerIsTrusted
    }
}
