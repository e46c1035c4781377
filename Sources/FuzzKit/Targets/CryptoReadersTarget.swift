import NodeNet

/// The PEM and DER readers: `X509Certificate` (PEM and DER), `crypto.createPrivateKey` (PKCS#8,
/// PKCS#1, SEC1, encrypted PKCS#8 with a passphrase), `crypto.createPublicKey`, and
/// `CertificateSigningRequest(pem:)`, then every property of what they read.
///
/// An input's first byte says how the rest is presented (``Form``): DER wrapped in PEM under one
/// of the labels, raw DER, or text as it is. Wrapping lets the mutations reach the ASN.1 inside
/// the PEM, which mutated base64 would hide. What must hold: no trap; what was read writes back
/// out (`raw`, `pem`, `export`) and reads back in as the same object.
@NodeActor final class CryptoReadersTarget: FuzzTarget {
    let name = "pem-der"
    let summary = "certificates, keys and CSRs, as PEM and DER, into the crypto readers"
    let maxLength = 16 * 1024
    let dictionary: [String] = ["-----BEGIN ", "-----END ", "-----", "\n", "=", "Proc-Type: 4,ENCRYPTED\n"]
    /// DER mutated as a tree (the first byte, the form, stays).
    let structuredMutation: StructuredMutation? = { bytes, random in
        guard bytes.count > 1 else { return false }
        var der = Array(bytes.dropFirst())
        guard DERMutation.mutate(&der, &random) else { return false }
        bytes = [bytes[0]] + der
        return true
    }
    /// The passphrase of the encrypted keys in the corpus.
    static let passphrase = "fuzz"

    /// How an input's bytes after the first are handed to the readers.
    enum Form: UInt8, CaseIterable {
        case rawDERCertificate, certificate, privateKey, rsaPrivateKey, ecPrivateKey, encryptedPrivateKey
        case publicKey, rsaPublicKey, certificateRequest, text

        var label: String? {
            switch self {
            case .certificate: "CERTIFICATE"
            case .privateKey: "PRIVATE KEY"
            case .rsaPrivateKey: "RSA PRIVATE KEY"
            case .ecPrivateKey: "EC PRIVATE KEY"
            case .encryptedPrivateKey: "ENCRYPTED PRIVATE KEY"
            case .publicKey: "PUBLIC KEY"
            case .rsaPublicKey: "RSA PUBLIC KEY"
            case .certificateRequest: "CERTIFICATE REQUEST"
            case .rawDERCertificate, .text: nil
            }
        }

        init(_ byte: UInt8) {
            self = Self(rawValue: byte % UInt8(Self.allCases.count))!
        }

        /// The form of a corpus file, from its name (`certificate-rsa.der`, `key-ec.sec1.der`…).
        init(fileName name: String) {
            guard name.hasSuffix(".der") else { self = .text; return }
            let byPrefix: [(String, Form)] = [
                ("certificate-request", .certificateRequest), ("certificate", .certificate),
                ("key-encrypted", .encryptedPrivateKey), ("key-rsa-pkcs1", .rsaPrivateKey),
                ("key-ec-sec1", .ecPrivateKey), ("key", .privateKey), ("public-rsa-pkcs1", .rsaPublicKey),
                ("public", .publicKey),
            ]
            self = byPrefix.first { name.hasPrefix($0.0) }?.1 ?? .rawDERCertificate
        }
    }

    func seeds(from files: [(name: String, bytes: [UInt8])]) -> [[UInt8]] {
        // Certificates go in as raw DER too (X509Certificate reads both).
        let certificates = files.filter {
            $0.name.hasPrefix("certificate-") && !$0.name.hasPrefix("certificate-request")
                && $0.name.hasSuffix(".der")
        }
        return files.map { [Form(fileName: $0.name).rawValue] + $0.bytes }
            + certificates.map { [Form.rawDERCertificate.rawValue] + $0.bytes }
    }

    func run(_ input: [UInt8]) async -> Verdict {
        guard let first = input.first else { return Verdict(outcome: "empty") }
        let form = Form(first)
        let body = Array(input.dropFirst())
        let bytes = form.label.map { Self.pem(body, label: $0) } ?? body
        var read: [String] = []
        var problem: String?
        if let certificate = try? X509Certificate(Buffer(bytes)) {
            read.append("certificate")
            problem = problem ?? Self.exercise(certificate)
        }
        for passphrase in [nil, Self.passphrase] {
            if let key = try? crypto.createPrivateKey(Buffer(bytes), passphrase: passphrase) {
                read.append(passphrase == nil ? "private key" : "encrypted key")
                problem = problem ?? Self.exercise(key)
            }
        }
        if let key = try? crypto.createPublicKey(Buffer(bytes)) {
            read.append("public key")
            problem = problem ?? Self.exercise(key)
        }
        if let request = try? CertificateSigningRequest(pem: String(decoding: bytes, as: UTF8.self)) {
            read.append("request")
            problem = problem ?? Self.exercise(request)
        }
        let outcome = "\(form): " + (read.isEmpty ? "refused" : read.joined(separator: ", "))
        return Verdict(outcome: outcome, violation: problem)
    }

    /// PEM text: `der` in base64, 64 characters a line, between the label's lines.
    static func pem(_ der: [UInt8], label: String) -> [UInt8] {
        let base64 = Buffer(der).toString(.base64)
        var lines = ["-----BEGIN \(label)-----"]
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append("-----END \(label)-----\n")
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// Reads every property, and checks that the DER it writes reads back as the same certificate.
    private static func exercise(_ certificate: X509Certificate) -> String? {
        _ = (certificate.subject, certificate.issuer, certificate.subjectAltName, certificate.validFrom)
        _ = (certificate.validTo, certificate.notBefore, certificate.notAfter, certificate.serialNumber)
        _ = (certificate.fingerprint, certificate.fingerprint512, certificate.ca)
        _ = (
            certificate.checkHost("localhost"), try? certificate.checkIP("127.0.0.1"),
            certificate.checkIssued(certificate)
        )
        if let key = try? certificate.publicKey {
            _ = certificate.verify(key)
            if let problem = exercise(key) { return problem }
        }
        _ = try? certificate.pem
        guard let raw = try? certificate.raw else { return nil }
        guard let again = try? X509Certificate(raw) else {
            return "a certificate's own DER does not read back"
        }
        if again.fingerprint256 != certificate.fingerprint256 {
            return "a certificate's DER reads back as another certificate"
        }
        return nil
    }

    /// Reads every property, and checks that each export reads back as a key of the same kind.
    private static func exercise(_ key: KeyObject) -> String? {
        _ = (key.asymmetricKeyType, key.asymmetricKeyDetails)
        let encodings: [KeyEncoding] = key.type == .private ? [.pkcs8, .pkcs1, .sec1] : [.spki, .pkcs1]
        for encoding in encodings {
            guard let exported = try? key.export(type: encoding) else { continue }
            let again =
                key.type == .private
                ? try? crypto.createPrivateKey(exported) : try? crypto.createPublicKey(exported)
            guard let again else { return "a key exported as \(encoding) does not read back" }
            if again.asymmetricKeyType != key.asymmetricKeyType {
                return "a key exported as \(encoding) reads back as another kind of key"
            }
        }
        _ = try? crypto.createPublicKey(key)
        return nil
    }

    /// Reads every property of a request.
    private static func exercise(_ request: CertificateSigningRequest) -> String? {
        _ = (request.subject, request.subjectAltName, request.verify(), try? request.pem)
        if let key = try? request.publicKey { return exercise(key) }
        return nil
    }
}
