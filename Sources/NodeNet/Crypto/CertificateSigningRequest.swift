import COpenSSL

/// A certificate signing request (PKCS#10, `openssl req -new`): the subject's name, its public key
/// and the names it asks for, signed with its private key so the CA knows the requester holds it.
/// Node has no such object; this is the step the book's §5.1.2 describes between key and certificate.
public final class CertificateSigningRequest: @unchecked Sendable {
    /// The X509_REQ this object owns; never changed after it is made, so it may be shared.
    let request: OpaquePointer

    private init(taking request: OpaquePointer) {
        self.request = request
    }

    deinit {
        X509_REQ_free(request)
    }

    /// A request for `subject`, carrying `privateKey`'s public key, signed with SHA-256.
    ///
    /// `subjectAltNames` are written as `openssl req -addext subjectAltName=…` takes them:
    /// `["DNS:localhost", "IP:127.0.0.1"]`. TLS clients check a host name against the DNS names
    /// (the CN only when there is none) and an IP address against the IP names.
    public convenience init(
        privateKey: KeyObject, subject: DistinguishedName, subjectAltNames: [String] = []
    ) throws {
        try requirePrivate(privateKey)
        let request = try checkOpenSSL(X509_REQ_new(), "X509_REQ_new")
        // Owned from here on, so every failure below frees it.
        self.init(taking: request)
        // Version 0 is PKCS#10 v1, the only version there is.
        try checkOpenSSL(X509_REQ_set_version(request, 0), "X509_REQ_set_version")
        let name = try X509Name.make(subject)
        defer { X509_NAME_free(name) }
        try checkOpenSSL(X509_REQ_set_subject_name(request, name), "X509_REQ_set_subject_name")
        // The public half only: the request (and any certificate signed from it) must not hold
        // a reference to the private key.
        let publicKey = try privateKey.publicHalf()
        _ = try withExtendedLifetime(publicKey) {
            try checkOpenSSL(X509_REQ_set_pubkey(request, publicKey.pkey), "X509_REQ_set_pubkey")
        }
        if !subjectAltNames.isEmpty { try addSubjectAltNames(subjectAltNames) }
        guard X509_REQ_sign(request, privateKey.pkey, signingDigest(privateKey)) > 0 else {
            throw NodeError.openSSL("X509_REQ_sign")
        }
    }

    private func addSubjectAltNames(_ names: [String]) throws {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, nil, nil, request, nil, 0)
        let built = try X509Extensions.make(NID_subject_alt_name, names.joined(separator: ","), &context)
        // A request carries its extensions as one attribute holding a stack of them.
        let stack = try checkOpenSSL(OPENSSL_sk_new_null(), "OPENSSL_sk_new_null")
        defer {
            OPENSSL_sk_free(stack)
            X509_EXTENSION_free(built)
        }
        guard OPENSSL_sk_push(stack, UnsafeRawPointer(built)) > 0 else {
            throw NodeError.openSSL("OPENSSL_sk_push")
        }
        try checkOpenSSL(X509_REQ_add_extensions(request, stack), "X509_REQ_add_extensions")
    }

    /// A request read from PEM (`-----BEGIN CERTIFICATE REQUEST-----`, what `openssl req -new` writes).
    public convenience init(pem: String) throws {
        let request = try withReadBIO(Array(pem.utf8)) { bio in
            try checkOpenSSL(PEM_read_bio_X509_REQ(bio, nil, refusePassphrase, nil), "PEM_read_bio_X509_REQ")
        }
        self.init(taking: request)
    }

    /// The request as PEM text.
    public var pem: String {
        get throws { try textWritten("PEM_write_bio_X509_REQ") { PEM_write_bio_X509_REQ($0, request) == 1 } }
    }

    /// The PEM text, as `toString()` gives it for certificates.
    public func toString() throws -> String { try pem }

    /// The requested subject in Node's multi-line form: `C=CN\nO=…\nCN=localhost`.
    public var subject: String { X509Name.nodeText(X509_REQ_get_subject_name(request)) }

    /// The requested subjectAltName in Node's form (`DNS:localhost, IP Address:127.0.0.1`); nil
    /// when none is requested.
    public var subjectAltName: String? {
        X509Extensions.withRequestExtensions(request) { stack in
            AltName.take(X509V3_get_d2i(stack, NID_subject_alt_name, nil, nil)).nodeText
        }
    }

    /// The public key the certificate is to certify.
    public var publicKey: KeyObject {
        get throws {
            try KeyObject.publicKey(
                spki: try derEncoded("i2d_X509_PUBKEY") {
                    i2d_X509_PUBKEY(X509_REQ_get_X509_PUBKEY(request), $0)
                })
        }
    }

    /// Whether the request is signed by the private key of the public key it carries (what
    /// `openssl req -verify` checks, and what a CA checks before signing).
    public func verify() -> Bool {
        defer { ERR_clear_error() }
        guard let key = X509_REQ_get0_pubkey(request) else { return false }
        return X509_REQ_verify(request, key) == 1
    }
}

/// Node's error for a public key where a private one is needed (signing).
func requirePrivate(_ key: KeyObject) throws {
    guard key.type == .private else {
        throw NodeError(
            code: .cryptoInvalidKeyObjectType,
            message: "Invalid key object type \(key.type.rawValue), expected private.")
    }
}

/// SHA-256 for RSA and EC signatures; none for Ed25519 and Ed448, which hash internally.
func signingDigest(_ key: KeyObject) -> OpaquePointer? {
    ["ed25519", "ed448"].contains(key.asymmetricKeyType) ? nil : EVP_sha256()
}
