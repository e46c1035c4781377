import Foundation
import TestSupport
import Testing

@testable import NodeNet

/// Requests, CA and signed certificates: what we write, OpenSSL and Node read the same way, and
/// what OpenSSL writes, we read.
@Suite(.timeLimit(.minutes(1))) struct CryptoCertificateTests {
    @Test func requestsCarryTheSubjectAndNamesAndVerify() async throws {
        let key = try ecKey()
        let request = try CertificateSigningRequest(
            privateKey: key, subject: serverSubject, subjectAltNames: localNames + ["IP:::1"])
        #expect(request.verify())
        #expect(request.subject == "C=CN\nO=深入浅出\\, Node\nCN=localhost")
        #expect(request.subjectAltName == "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1")
        #expect(try request.publicKey.export(type: .spki) == crypto.createPublicKey(key).export(type: .spki))

        let pem = try request.pem
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----\n"))
        let reread = try CertificateSigningRequest(pem: pem)
        #expect(reread.subject == request.subject)
        #expect(reread.subjectAltName == request.subjectAltName)
        #expect(reread.verify())
        try await withFolder { folder in
            try folder.write("server.csr", pem)
            let run = try await openssl("req", "-verify", "-noout", "-in", "server.csr", in: folder)
            #expect((run.output + run.errors).contains("verify OK"))
        }
        let noNames = try CertificateSigningRequest(privateKey: key, subject: [("CN", "plain")])
        #expect(noNames.subjectAltName == nil)
    }

    @Test func aCASignedCertificateIsWhatOpenSSLExpects() async throws {
        let ca = try makeCA(key: try crypto.generateKeyPairSync(.rsa()).privateKey)
        let serverKey = try ecKey()
        let server = try makeLeaf(ca, key: serverKey, validity: .days(365))
        #expect(ca.certificate.ca)
        #expect(!server.ca)
        #expect(ca.certificate.subject == "C=CN\nO=NodeNet\nCN=NodeNet Test CA")
        #expect(ca.certificate.issuer == ca.certificate.subject)
        #expect(server.issuer == ca.certificate.subject)
        #expect(server.subject == "C=CN\nO=深入浅出\\, Node\nCN=localhost")
        #expect(server.subjectAltName == "DNS:localhost, IP Address:127.0.0.1")
        #expect(ca.certificate.subjectAltName == nil)
        #expect(server.notAfter - server.notBefore == 365 * 86_400)
        #expect(server.checkIssued(ca.certificate))
        #expect(!ca.certificate.checkIssued(server))
        #expect(server.verify(try ca.certificate.publicKey))
        #expect(!server.verify(try server.publicKey))
        #expect(server.checkPrivateKey(serverKey))
        #expect(!server.checkPrivateKey(ca.privateKey))
        #expect(
            try server.publicKey.export(type: .spki) == crypto.createPublicKey(serverKey).export(type: .spki))
        #expect(server.checkHost("localhost") == "localhost")
        #expect(server.checkHost("LOCALHOST") == "localhost")
        #expect(server.checkHost("example.com") == nil)
        #expect(try server.checkIP("127.0.0.1") == "127.0.0.1")
        #expect(try server.checkIP("10.0.0.1") == nil)
        #expect(throws: NodeError(code: "ERR_INVALID_ARG_VALUE", message: "Invalid IP")) {
            try server.checkIP("nope")
        }
        // Serial numbers are random, positive and 16 bytes at most.
        #expect(server.serialNumber != ca.certificate.serialNumber)
        #expect(
            server.serialNumber.count <= 32
                && server.serialNumber.first.map { "01234567".contains($0) } == true)

        try await withFolder { folder in
            try folder.write("ca.crt", try ca.certificate.pem)
            try folder.write("server.crt", try server.toString())
            #expect(
                try await openssl("verify", "-CAfile", "ca.crt", "server.crt", in: folder).output
                    == "server.crt: OK\n")
            let text = try await openssl("x509", "-noout", "-text", "-in", "server.crt", in: folder).output
            for line in [
                "CA:FALSE", "Digital Signature, Key Encipherment", "TLS Web Server Authentication",
                "DNS:localhost, IP Address:127.0.0.1", "X509v3 Authority Key Identifier",
                "Signature Algorithm: sha256WithRSAEncryption", "ASN1 OID: prime256v1",
            ] {
                #expect(text.contains(line), "\(line) missing from \(text)")
            }
            let caText = try await openssl("x509", "-noout", "-text", "-in", "ca.crt", in: folder).output
            for line in [
                "CA:TRUE", "Certificate Sign, CRL Sign", "X509v3 Subject Key Identifier",
                "sha256WithRSAEncryption",
            ] {
                #expect(caText.contains(line), "\(line) missing from \(caText)")
            }
            let facts = try await openssl(
                "x509", "-noout", "-serial", "-fingerprint", "-sha256", "-in", "server.crt", in: folder
            ).output
            #expect(facts == "serial=\(server.serialNumber)\nsha256 Fingerprint=\(server.fingerprint256)\n")
        }
    }

    @Test func certificatesReadFromDERAndFromBorrowedPointers() throws {
        let ca = try makeCA()
        let server = try makeLeaf(ca)
        let der = try X509Certificate(try server.raw)
        #expect(der.fingerprint256 == server.fingerprint256)
        #expect(try X509Certificate(pem: try server.pem).fingerprint == server.fingerprint)
        // What TLS does with SSL_get0_peer_certificate: a reference of our own, which outlives the original.
        var original: X509Certificate? = try makeLeaf(ca)
        let copy = X509Certificate(copying: original!.x509)
        let fingerprint = original!.fingerprint512
        original = nil
        #expect(copy.fingerprint512 == fingerprint)
        #expect(copy.subject == server.subject)
    }

    @Test func readsWhatOpenSSLSignsAndSignsWhatOpenSSLRequests() async throws {
        try await withFolder { folder in
            try await openssl(
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=OpenSSL CA", "-days", "2", in: folder)
            try await openssl(
                "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/C=CN/O=Test/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                in: folder)
            try await openssl(
                "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-copy_extensions", "copy", "-days", "2", "-out", "server.crt", in: folder)
            try await openssl(
                "x509", "-in", "server.crt", "-outform", "DER", "-out", "server.der", in: folder)

            let request = try CertificateSigningRequest(pem: try folder.read("server.csr"))
            #expect(request.verify())
            #expect(request.subject == "C=CN\nO=Test\nCN=localhost")
            #expect(request.subjectAltName == "DNS:localhost, IP Address:127.0.0.1")

            let caCertificate = try X509Certificate(pem: try folder.read("ca.crt"))
            let server = try X509Certificate(pem: try folder.read("server.crt"))
            #expect(caCertificate.ca)
            #expect(server.subjectAltName == "DNS:localhost, IP Address:127.0.0.1")
            #expect(server.verifyChain(ca: [caCertificate], host: "localhost") == nil)
            let der = try Data(contentsOf: folder.url.appendingPathComponent("server.der"))
            #expect(try X509Certificate(Buffer(der)).fingerprint256 == server.fingerprint256)

            // OpenSSL's CA, with its key read back, signs our request; OpenSSL accepts the result.
            let ca = try CertificateAuthority(
                certificate: caCertificate, privateKey: try crypto.createPrivateKey(try folder.read("ca.key"))
            )
            let ours = try makeLeaf(ca)
            try folder.write("ours.crt", try ours.pem)
            #expect(
                try await openssl("verify", "-CAfile", "ca.crt", "ours.crt", in: folder).output
                    == "ours.crt: OK\n")
            // And OpenSSL's request signed by our CA.
            let signed = try makeCA().sign(request)
            #expect(signed.subject == "C=CN\nO=Test\nCN=localhost")
            #expect(signed.subjectAltName == "DNS:localhost, IP Address:127.0.0.1")
        }
    }

    @Test func nodeSeesOurCertificatesAsWeDo() async throws {
        let ca = try makeCA()
        let server = try makeLeaf(ca, names: localNames + ["IP:::1", "DNS:*.example.com"])
        try await withFolder { folder in
            try folder.write("ca.crt", try ca.certificate.pem)
            try folder.write("server.crt", try server.pem)
            let output = try await node(
                """
                const { X509Certificate } = require('crypto'), fs = require('fs');
                for (const file of ['server.crt', 'ca.crt']) {
                  const x = new X509Certificate(fs.readFileSync(file));
                  console.log(JSON.stringify([x.subject, x.issuer, x.subjectAltName ?? 'none',
                    x.fingerprint256, x.fingerprint, x.validFrom, x.validTo, x.serialNumber, String(x.ca)]));
                }
                """, in: folder)
            let lines = output.split(separator: "\n").map(String.init)
            #expect(lines.count == 2)
            for (line, certificate) in zip(lines, [server, ca.certificate]) {
                let ours: [String] = [
                    certificate.subject, certificate.issuer, certificate.subjectAltName ?? "none",
                    certificate.fingerprint256, certificate.fingerprint, certificate.validFrom,
                    certificate.validTo,
                    certificate.serialNumber, String(certificate.ca),
                ]
                #expect(try JSONDecoder().decode([String].self, from: Data(line.utf8)) == ours)
            }
        }
    }

    /// Chapter 5's erratum on §5.1.2: the CA signs with its private key alone, and anyone holding
    /// only its certificate (the public key inside) verifies, here and with `openssl verify`.
    @Test func theCASignsWithItsPrivateKeyAndAnyoneWithItsCertificateVerifies() async throws {
        let ca = try makeCA()
        let leaf = try makeLeaf(ca)
        // What a client holds: the CA's certificate as PEM text, no key of the CA's.
        let caCertificate = try X509Certificate(pem: try ca.certificate.pem)
        #expect(leaf.verify(try caCertificate.publicKey))
        #expect(leaf.verifyChain(ca: [caCertificate], host: "localhost") == nil)
        #expect(!leaf.verify(try makeCA("Another CA").certificate.publicKey))
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        _ = try folder.write("ca.crt", try caCertificate.pem)
        _ = try folder.write("leaf.crt", try leaf.pem)
        let run = try await openssl("verify", "-CAfile", "ca.crt", "leaf.crt", in: folder)
        #expect(run.output == "leaf.crt: OK\n")
    }

    @Test func signingRefusesWrongKeys() throws {
        let key = try ecKey()
        let publicKey = try crypto.createPublicKey(key)
        #expect(
            throws: NodeError(
                code: "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE",
                message: "Invalid key object type public, expected private.")
        ) { try CertificateSigningRequest(privateKey: publicKey, subject: serverSubject) }
        let ca = try makeCA()
        #expect { try CertificateAuthority(certificate: ca.certificate, privateKey: key) } throws: { error in
            (error as? NodeError)?.code == "ERR_OSSL_X509_KEY_VALUES_MISMATCH"
        }
        #expect { try CertificateSigningRequest(privateKey: key, subject: [("NOPE", "x")]) } throws: {
            error in
            (error as? NodeError)?.code.hasPrefix("ERR_OSSL_") == true
        }
        #expect {
            try CertificateSigningRequest(privateKey: key, subject: serverSubject, subjectAltNames: ["DNS"])
        } throws: { error in (error as? NodeError)?.code.hasPrefix("ERR_OSSL_X509V3_") == true }
        #expect { try X509Certificate(pem: "garbage") } throws: { error in
            (error as? NodeError)
                == NodeError(
                    code: "ERR_OSSL_PEM_NO_START_LINE", message: "error:0480006C:PEM routines::no start line")
        }
    }
}
