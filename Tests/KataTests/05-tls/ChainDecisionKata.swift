import Foundation
import Kata
import NodeNet
import Testing

/// The verdicts are Node 20's: each case was tried with real certificates, a Node server presenting
/// them and a Node client with `ca` and `rejectUnauthorized: false` reading `authorizationError`;
/// the edges of the dates with `openssl verify -attime`. The last test asks this system's OpenSSL.
@Suite struct ChainDecisionKata {
    static let now = 1_800_000_000
    static let day = 86_400

    /// A certificate as the server presents it: by default one for localhost from the CA the
    /// client trusts, valid from 30 days before `now` to 30 days after.
    private func presented(
        subject: String = "localhost", altNames: [String] = ["localhost"], issuer: String = "Kata CA",
        signatureVerifies: Bool = true, issuerIsTrusted: Bool = true
    ) -> PresentedCertificate {
        PresentedCertificate(
            subject: subject, altNames: altNames, issuer: issuer, notBefore: Self.now - 30 * Self.day,
            notAfter: Self.now + 30 * Self.day, signatureVerifies: signatureVerifies,
            issuerIsTrusted: issuerIsTrusted)
    }

    private func check(
        _ certificate: PresentedCertificate, host: String = "localhost", now: Int = Self.now,
        _ expected: String?, _ situation: String
    ) {
        let verdict = judgeCertificate(certificate, host: host, now: now)
        #expect(
            verdict == expected,
            "\(situation): Node says \(expected ?? "nil (accepted)"); you returned \(verdict ?? "nil (accepted)")"
        )
    }

    @Test func aTrustedCertificateForTheHostIsAccepted() {
        check(presented(), nil, "a certificate for localhost from a trusted CA, within its dates")
        check(
            presented(altNames: ["example.com", "localhost", "www.example.com"]), nil,
            "a certificate with localhost among its altNames")
    }

    @Test func theInterceptorIsRefused() {
        check(
            presented(issuer: "Interceptor CA", issuerIsTrusted: false), "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            "the interceptor's certificate for localhost, signed by its own CA, which the client does not trust"
        )
        check(
            presented(signatureVerifies: false), "CERT_SIGNATURE_FAILURE",
            "a certificate naming the trusted CA as issuer whose signature does not verify with the CA's key (forged)"
        )
        check(
            presented(issuer: "Interceptor CA", signatureVerifies: false, issuerIsTrusted: false),
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            "a certificate from a CA the client does not trust, whose signature does not verify either: who signed it is checked first, and without a trusted issuer's key the signature cannot even be checked"
        )
        check(
            presented(issuer: "localhost", issuerIsTrusted: false), "DEPTH_ZERO_SELF_SIGNED_CERT",
            "a self-signed certificate for localhost that the client does not trust")
        check(
            presented(issuer: "Interceptor CA"), nil,
            "the interceptor's certificate once its CA is installed among the trusted ones (which is why installing a CA matters)"
        )
    }

    @Test func aTrustedSelfSignedCertificateIsAccepted() {
        check(
            presented(issuer: "localhost"), nil,
            "a self-signed certificate for localhost given to the client as its ca")
        check(
            presented(issuer: "localhost", signatureVerifies: false), nil,
            "a trusted self-signed certificate: its own signature is not checked, the trust is in the certificate itself"
        )
        check(
            presented(issuer: "localhost", signatureVerifies: false, issuerIsTrusted: false),
            "DEPTH_ZERO_SELF_SIGNED_CERT", "an untrusted self-signed certificate, whatever its signature")
    }

    @Test func theDatesCountToTheSecond() {
        let notBefore = presented().notBefore
        let notAfter = presented().notAfter
        check(presented(), now: notBefore - 1, "CERT_NOT_YET_VALID", "one second before notBefore")
        check(presented(), now: notBefore, nil, "at notBefore exactly")
        check(presented(), now: notAfter - 1, nil, "one second before notAfter")
        check(
            presented(), now: notAfter, "CERT_HAS_EXPIRED",
            "at notAfter exactly (OpenSSL 3: a certificate is valid up to, not including, notAfter)")
        check(presented(), now: notAfter + 365 * Self.day, "CERT_HAS_EXPIRED", "a year after notAfter")
    }

    @Test func aDateProblemHidesTheOthers() {
        let expired = Self.now + 31 * Self.day
        let early = Self.now - 31 * Self.day
        check(
            presented(issuer: "Interceptor CA", issuerIsTrusted: false), now: expired, "CERT_HAS_EXPIRED",
            "an expired certificate from a CA the client does not trust")
        check(
            presented(signatureVerifies: false), now: early, "CERT_NOT_YET_VALID",
            "a forged certificate that is not valid yet")
        check(
            presented(issuer: "localhost", issuerIsTrusted: false), now: expired, "CERT_HAS_EXPIRED",
            "an expired self-signed certificate nobody trusts")
        check(
            presented(), host: "example.com", now: expired, "CERT_HAS_EXPIRED",
            "an expired certificate for another host")
    }

    @Test func theChainComesBeforeTheHost() {
        check(
            presented(issuer: "Interceptor CA", issuerIsTrusted: false), host: "example.com",
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "a certificate for another host from a CA nobody trusts")
        check(
            presented(signatureVerifies: false), host: "example.com", "CERT_SIGNATURE_FAILURE",
            "a forged certificate for another host")
        check(
            presented(), host: "example.com", "ERR_TLS_CERT_ALTNAME_INVALID",
            "a good certificate for localhost, presented for example.com")
    }

    @Test func hostNames() {
        let site = presented(subject: "example.com", altNames: ["example.com", "www.example.com"])
        check(site, host: "www.example.com", nil, "www.example.com is among the altNames")
        check(site, host: "WWW.Example.COM", nil, "host names match whatever their case")
        check(
            site, host: "shop.example.com", "ERR_TLS_CERT_ALTNAME_INVALID",
            "shop.example.com is not among the altNames")
        check(presented(altNames: []), nil, "no altNames: the subject localhost counts")
        check(
            presented(altNames: ["example.com"]), "ERR_TLS_CERT_ALTNAME_INVALID",
            "subject localhost but altNames [example.com]: with altNames, the subject does not count")
    }

    @Test func aWildcardCoversOneLabel() {
        let wildcard = presented(subject: "*.example.com", altNames: ["*.example.com"])
        check(wildcard, host: "a.example.com", nil, "*.example.com for a.example.com")
        check(wildcard, host: "Shop.Example.com", nil, "*.example.com for Shop.Example.com")
        check(
            wildcard, host: "a.b.example.com", "ERR_TLS_CERT_ALTNAME_INVALID",
            "*.example.com for a.b.example.com: * is one label, not two")
        check(
            wildcard, host: "example.com", "ERR_TLS_CERT_ALTNAME_INVALID",
            "*.example.com for example.com: * is one label, not none")
        check(
            wildcard, host: "a.example.org", "ERR_TLS_CERT_ALTNAME_INVALID",
            "*.example.com for a.example.org: the rest must match")
    }

    @Test func yourVerdictsAreOpenSSLsOnRealCertificates() throws {
        func key() throws -> KeyObject {
            try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        }
        func authority(_ name: String) throws -> CertificateAuthority {
            try CertificateAuthority.selfSigned(
                privateKey: try key(), subject: [("CN", name)], validity: .days(30))
        }
        let trusted = try authority("Kata CA")
        let interceptor = try authority("Interceptor CA")
        let selfSigned = try authority("localhost").certificate
        func leaf(_ ca: CertificateAuthority, _ name: String, _ validity: CertificateValidity = .days(10))
            throws -> X509Certificate
        {
            let request = try CertificateSigningRequest(
                privateKey: try key(), subject: [("CN", name)], subjectAltNames: ["DNS:\(name)"])
            return try ca.sign(request, validity: validity)
        }
        // Your verdict on what the client knows of `certificate`, against OpenSSL's and Node's checks.
        func compare(
            _ certificate: X509Certificate, _ host: String, alsoTrusting extra: [X509Certificate] = [],
            _ situation: String
        ) throws {
            // Read the clock after the certificate was made: a certificate starts "now" when signed.
            let now = Int(Date().timeIntervalSince1970)
            let ca = [trusted.certificate] + extra
            let openSSL = certificate.verifyChain(ca: ca, host: host)?.code
            let signer = [trusted.certificate, interceptor.certificate, selfSigned].first {
                certificate.checkIssued($0)
            }
            let names = (certificate.subjectAltName ?? "").split(separator: ", ")
            let known = PresentedCertificate(
                subject: commonName(certificate.subject),
                altNames: names.filter { $0.hasPrefix("DNS:") }.map { String($0.dropFirst(4)) },
                issuer: commonName(certificate.issuer), notBefore: certificate.notBefore,
                notAfter: certificate.notAfter,
                signatureVerifies: try signer.map { certificate.verify(try $0.publicKey) } ?? false,
                issuerIsTrusted: ca.contains { certificate.checkIssued($0) })
            check(known, host: host, now: now, openSSL, "\(situation), for host \(host)")
        }
        let expired = CertificateValidity(notBefore: -10 * Self.day, notAfter: -Self.day)
        let future = CertificateValidity(notBefore: Self.day, notAfter: 10 * Self.day)
        try compare(try leaf(trusted, "localhost"), "localhost", "a good certificate")
        try compare(try leaf(trusted, "localhost"), "example.com", "a good certificate for localhost")
        try compare(try leaf(interceptor, "localhost"), "localhost", "the interceptor's certificate")
        try compare(try leaf(trusted, "localhost", expired), "localhost", "an expired certificate")
        try compare(
            try leaf(interceptor, "localhost", expired), "localhost", "an expired interceptor's certificate")
        try compare(try leaf(trusted, "localhost", future), "localhost", "a certificate not valid yet")
        let wildcard = try leaf(trusted, "*.example.com")
        for host in ["a.example.com", "a.b.example.com", "example.com"] {
            try compare(wildcard, host, "a certificate for *.example.com")
        }
        try compare(selfSigned, "localhost", "a self-signed certificate")
        try compare(
            selfSigned, "localhost", alsoTrusting: [selfSigned], "a self-signed certificate the client trusts"
        )
    }

    private func commonName(_ name: String) -> String {
        name.split(separator: "\n").first { $0.hasPrefix("CN=") }.map { String($0.dropFirst(3)) } ?? ""
    }
}
