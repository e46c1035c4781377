import Kata
import NodeNet
import TestSupport
import Testing

/// Real HTTPS servers, each with a certificate from the CA the client trusts, and requests made
/// with your options: to the pinned certificate, to another good one, and to a pinned one for
/// another name.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct CertificatePinKata {
    /// A GET to `https://localhost:<port>/` with your options; the answer's status or the error's code.
    private func outcome(_ port: Int, _ certs: TestCertificates, pins: [String]) async throws -> String {
        var options = RequestOptions(host: "localhost", port: port, path: "/", agent: nil)
        options.tls = pinnedTLSOptions(ca: [certs.caCert], pins: pins)
        switch try await fetchHTTPS(options) {
        case .success(let answer): return "answered \(answer.status)"
        case .failure(let error): return error.code
        }
    }

    private func fingerprint(_ pem: String) throws -> String { try X509Certificate(pem: pem).fingerprint256 }

    @Test func thePinnedCertificateIsAccepted() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await listeningHTTPSServer(
            Identity(key: certs.serverKey, cert: certs.serverCert))
        defer { server.close() }
        let pin = try fingerprint(certs.serverCert)
        let alone = try await outcome(port, certs, pins: [pin])
        #expect(
            alone == "answered 200",
            "the server presented the pinned certificate: the request must go through; it \(alone)")
        let spare = try fingerprint(certs.otherCACert)
        let withSpare = try await outcome(port, certs, pins: [spare, pin])
        #expect(
            withSpare == "answered 200",
            "the server's certificate is the second of two pins (a spare comes first): the request must go through; it \(withSpare)"
        )
    }

    @Test func anotherCertificateFromTheSameCAIsRefused() async throws {
        let certs = try await TestCertificates.forTest()
        let other = try certs.serverIdentity(["DNS:localhost", "IP:127.0.0.1"])
        let (server, port) = try await listeningHTTPSServer(other)
        defer { server.close() }
        let result = try await outcome(port, certs, pins: [try fingerprint(certs.serverCert)])
        #expect(
            result == "ERR_CERT_PIN_MISMATCH",
            "the server presented a good certificate for localhost from the trusted CA, but not the pinned one: the request must fail with ERR_CERT_PIN_MISMATCH; it \(result)"
        )
    }

    @Test func aPinnedCertificateForAnotherNameIsStillRefused() async throws {
        let certs = try await TestCertificates.forTest()
        let elsewhere = try certs.serverIdentity(["DNS:example.test"])
        let (server, port) = try await listeningHTTPSServer(elsewhere)
        defer { server.close() }
        let result = try await outcome(port, certs, pins: [try fingerprint(elsewhere.cert)])
        #expect(
            result == "ERR_TLS_CERT_ALTNAME_INVALID",
            "the server presented a pinned certificate for example.test to a client asking for localhost: Node's host check must still refuse it (ERR_TLS_CERT_ALTNAME_INVALID); the request \(result)"
        )
    }
}
