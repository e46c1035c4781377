import Foundation
import Kata
import NodeNet
import TestSupport
import Testing

/// Your fingerprints of the test certificates, beside what the `openssl` command line prints for
/// the same files.
@Suite(.timeLimit(.minutes(1)))
struct FingerprintKata {
    /// What `openssl x509 -noout -fingerprint -<algorithm>` prints for `file`, after the `=`.
    private func opensslFingerprint(_ file: String, _ algorithm: String, _ certs: TestCertificates)
        async throws
        -> String
    {
        let openssl = try requirePeer("openssl")
        let run = try await runPeer(
            openssl, ["x509", "-noout", "-fingerprint", "-\(algorithm)", "-in", file], in: certs.folder)
        #expect(run.status == 0, "openssl x509 -fingerprint failed: \(run)")
        return String(run.output.split(separator: "=", maxSplits: 1).last ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: ["sha1", "sha256", "sha512"])
    func fingerprintsAreWhatOpenSSLPrints(algorithm: String) async throws {
        let certs = try await TestCertificates.forTest()
        for (file, pem) in [("server.crt", certs.serverCert), ("ca.crt", certs.caCert)] {
            let expected = try await opensslFingerprint(file, algorithm, certs)
            let yours = try certificateFingerprint(try X509Certificate(pem: pem), algorithm: algorithm)
            #expect(
                yours == expected,
                "the \(algorithm) fingerprint of \(file) is \(expected) (openssl x509 -fingerprint -\(algorithm)); you returned \(yours.debugDescription). Hash the DER bytes (certificate.raw), then upper-case hex, bytes joined by \":\""
            )
        }
    }

    @Test func anUnknownAlgorithmThrows() async throws {
        let certificate = try X509Certificate(pem: try await TestCertificates.forTest().caCert)
        #expect(
            throws: (any Error).self,
            "crypto.createHash(\"no-such-hash\") throws, and so must certificateFingerprint; it returned instead"
        ) { try certificateFingerprint(certificate, algorithm: "no-such-hash") }
    }
}
