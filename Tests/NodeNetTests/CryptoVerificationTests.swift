import Foundation
import TestSupport
import Testing

@testable import NodeNet

/// Chain verification and host checks, each failure with the code Node gives it.
@Suite(.timeLimit(.minutes(1))) struct CryptoVerificationTests {
    @Test func aTrustedChainAndItsNamesPass() throws {
        let ca = try makeCA()
        let server = try makeLeaf(ca)
        #expect(server.verifyChain(ca: [ca.certificate]) == nil)
        #expect(server.verifyChain(ca: [ca.certificate], host: "localhost") == nil)
        #expect(server.verifyChain(ca: [ca.certificate], host: "localhost.") == nil)
        #expect(server.verifyChain(ca: [ca.certificate], host: "127.0.0.1", purpose: .serverAuth) == nil)
        // Signed for serverAuth only, so a server checking a client refuses it.
        #expect(server.verifyChain(ca: [ca.certificate], purpose: .clientAuth)?.code == "INVALID_PURPOSE")
    }

    @Test func aWrongHostIsNodesAltnameError() throws {
        let ca = try makeCA()
        let server = try makeLeaf(ca)
        let prefix = "Hostname/IP does not match certificate's altnames: "
        #expect(
            server.verifyChain(ca: [ca.certificate], host: "x")
                == NodeError(
                    code: "ERR_TLS_CERT_ALTNAME_INVALID",
                    message: prefix
                        + "Host: x. is not in the cert's altnames: DNS:localhost, IP Address:127.0.0.1"))
        #expect(
            checkServerIdentity("10.0.0.1", server)?.message
                == prefix + "IP: 10.0.0.1 is not in the cert's list: 127.0.0.1")
    }

    @Test func failuresCarryNodesCodes() async throws {
        let ca = try makeCA()
        let expired = try makeLeaf(ca, validity: CertificateValidity(notBefore: -7_200, notAfter: -3_600))
        #expect(
            expired.verifyChain(ca: [ca.certificate])
                == NodeError(code: "CERT_HAS_EXPIRED", message: "certificate has expired"))
        let early = try makeLeaf(ca, validity: CertificateValidity(notBefore: 3_600, notAfter: 7_200))
        #expect(early.verifyChain(ca: [ca.certificate])?.code == "CERT_NOT_YET_VALID")

        let otherCA = try makeCA("Another CA")
        #expect(
            try makeLeaf(ca).verifyChain(ca: [otherCA.certificate])
                == NodeError(
                    code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", message: "unable to verify the first certificate"
                ))
        // A self-signed certificate presented alone, and a chain ending in an untrusted root.
        #expect(
            ca.certificate.verifyChain(ca: [])
                == NodeError(code: "DEPTH_ZERO_SELF_SIGNED_CERT", message: "self-signed certificate"))
        #expect(
            try makeLeaf(ca).verifyChain(ca: [otherCA.certificate], intermediates: [ca.certificate])
                == NodeError(
                    code: "SELF_SIGNED_CERT_IN_CHAIN", message: "self-signed certificate in certificate chain"
                ))

        try await withFolder { folder in
            try folder.write("ca.crt", try ca.certificate.pem)
            try folder.write("expired.crt", try expired.pem)
            let run = try await runPeer(
                try requirePeer("openssl"), ["verify", "-CAfile", "ca.crt", "expired.crt"], in: folder.url)
            #expect(run.status != 0)
            #expect((run.output + run.errors).contains("certificate has expired"))
        }
    }

    @Test func intermediatesCompleteTheChain() async throws {
        let root = try makeCA("Root CA")
        let intermediateKey = try ecKey()
        let intermediateCertificate = try makeLeaf(
            root, key: intermediateKey, subject: [("CN", "Intermediate CA")], names: [], isCA: true)
        let intermediate = try CertificateAuthority(
            certificate: intermediateCertificate, privateKey: intermediateKey)
        #expect(intermediate.certificate.ca)
        let server = try makeLeaf(intermediate)
        #expect(server.verifyChain(ca: [root.certificate], intermediates: [intermediate.certificate]) == nil)
        // Without the intermediate the leaf's issuer is unknown; with it but without the root,
        // the intermediate's issuer is.
        #expect(server.verifyChain(ca: [root.certificate])?.code == "UNABLE_TO_VERIFY_LEAF_SIGNATURE")
        #expect(
            server.verifyChain(ca: [], intermediates: [intermediate.certificate])
                == NodeError(
                    code: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
                    message: "unable to get local issuer certificate"))
        try await withFolder { folder in
            try folder.write("root.crt", try root.certificate.pem)
            try folder.write("intermediate.crt", try intermediate.certificate.pem)
            try folder.write("server.crt", try server.pem)
            let run = try await openssl(
                "verify", "-CAfile", "root.crt", "-untrusted", "intermediate.crt", "server.crt", in: folder)
            #expect(run.output == "server.crt: OK\n")
        }
    }

    @Test func smallKeysFailAtLevelTwoAndPassAtLevelOne() throws {
        // The book's 1024-bit RSA: accepted at security level 1, refused at 2 (Debian's default).
        let weakKey = try crypto.generateKeyPairSync(.rsa(modulusLength: 1024)).privateKey
        let ca = try makeCA()
        let weakServer = try makeLeaf(ca, key: weakKey)
        #expect(
            weakServer.verifyChain(ca: [ca.certificate], securityLevel: 2)
                == NodeError(code: "EE_KEY_TOO_SMALL", message: "EE certificate key too weak"))
        #expect(weakServer.verifyChain(ca: [ca.certificate], securityLevel: 1) == nil)

        let weakCA = try makeCA("Weak CA", key: weakKey)
        let server = try makeLeaf(weakCA)
        #expect(server.verifyChain(ca: [weakCA.certificate], securityLevel: 2)?.code == "CA_KEY_TOO_SMALL")
        #expect(server.verifyChain(ca: [weakCA.certificate], securityLevel: 1) == nil)

        // Unless told, the level is the one this system's TLS uses.
        let level = X509Certificate.defaultSecurityLevel
        #expect(level >= 1)
        #expect(
            weakServer.verifyChain(ca: [ca.certificate])
                == weakServer.verifyChain(ca: [ca.certificate], securityLevel: level))
        let configuration = (try? String(contentsOfFile: "/etc/ssl/openssl.cnf", encoding: .utf8)) ?? ""
        if configuration.contains("SECLEVEL=2") { #expect(level == 2) }
    }

    @Test func verificationResultsMapToNodeCodes() {
        // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY is 20, X509_V_ERR_CERT_HAS_EXPIRED 10.
        #expect(
            NodeError.certificateVerification(20)
                == NodeError(
                    code: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
                    message: "unable to get local issuer certificate"))
        #expect(NodeError.certificateVerification(10).code == "CERT_HAS_EXPIRED")
        #expect(NodeError.certificateVerification(66).code == "EE_KEY_TOO_SMALL")
        #expect(NodeError.certificateVerification(9_999).code == "UNSPECIFIED")
    }

    @Test func hostChecksMatchNodes() async throws {
        let ca = try makeCA()
        let wildcard = try makeLeaf(ca, names: ["DNS:*.example.com", "DNS:example.org", "IP:::1"])
        let commonNameOnly = try makeLeaf(ca, subject: [("CN", "cn.example.com")], names: [])
        let ipOnly = try makeLeaf(ca, subject: [("CN", "ip.example.com")], names: ["IP:10.1.2.3"])
        let nameless = try makeLeaf(ca, subject: [("O", "No Names")], names: [])
        let hosts = [
            "a.example.com", "A.Example.COM.", "a.b.example.com", "example.com", "example.org",
            "x.example.org",
            "::1", "0:0:0:0:0:0:0:1", "127.0.0.1", "cn.example.com", "ip.example.com", "10.1.2.3",
            "localhost",
        ]
        let certificates = [wildcard, commonNameOnly, ipOnly, nameless]
        var ours: [String] = []
        for certificate in certificates {
            for host in hosts { ours.append(checkServerIdentity(host, certificate)?.message ?? "ok") }
        }
        try await withFolder { folder in
            for (index, certificate) in certificates.enumerated() {
                try folder.write("\(index).crt", try certificate.pem)
            }
            let output = try await node(
                """
                const { X509Certificate } = require('crypto'), tls = require('tls'), fs = require('fs');
                const hosts = \(String(decoding: try JSONEncoder().encode(hosts), as: UTF8.self));
                const results = [];
                for (let i = 0; i < \(certificates.count); i++) {
                  const cert = new X509Certificate(fs.readFileSync(i + '.crt')).toLegacyObject();
                  for (const host of hosts)
                    results.push(tls.checkServerIdentity(host, cert)?.message ?? 'ok');
                }
                console.log(JSON.stringify(results));
                """, in: folder)
            let nodes = try JSONDecoder().decode([String].self, from: Data(output.utf8))
            #expect(nodes.count == ours.count)
            for (index, (node, swift)) in zip(nodes, ours).enumerated() {
                #expect(
                    swift == node, "host \(hosts[index % hosts.count]), certificate \(index / hosts.count)")
            }
        }
    }
}
