import Foundation
import Kata
import NodeNet
import TestSupport
import Testing

/// A real HTTPS server with your handler, asking for client certificates from the test CA, and
/// real clients over real sockets: with a certificate from that CA, with none, self-signed, and
/// from a CA the server does not trust.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct VerifiedClientsOnlyKata {
    private func server(_ certs: TestCertificates) async throws -> (HTTPSServer, Int) {
        let options = TLSOptions(
            key: certs.serverKey, cert: certs.serverCert, ca: [certs.caCert], requestCert: true,
            rejectUnauthorized: false)
        let server = try https.createServer(options) { req, res in greetVerifiedClient(req, res) }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        return (server, server.address()!.port)
    }

    /// A GET on a connection of its own, with `key` and `cert` as the client's certificate.
    private func get(_ port: Int, _ certs: TestCertificates, key: String? = nil, cert: String? = nil)
        async throws -> (status: Int, body: String)
    {
        var options = RequestOptions(host: "localhost", port: port, path: "/", agent: nil)
        options.tls = TLSOptions(key: key, cert: cert, ca: [certs.caCert])
        let result: Result<(Int, String), NodeError> = try await waitFor("the answer") { done in
            let request = https.request(options) { res in
                var body = ""
                res.on(.data) { body += $0.toString() }
                res.on(.end) { done(.success((res.statusCode, body))) }
            }
            request.on(.error) { done(.failure($0)) }
            request.end()
        }
        switch result {
        case .success(let answer): return answer
        case .failure(let error):
            Issue.record(
                "the client's request failed instead of getting an answer: \(error.code) (\(error.message)); answer every request with res.end(…)"
            )
            throw error
        }
    }

    /// A certificate for `subject`, signed by `ca`, for a new EC key: the key's and the
    /// certificate's PEM.
    private func clientCertificate(_ ca: CertificateAuthority, _ subject: DistinguishedName) throws -> (
        key: String, cert: String
    ) {
        let key = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let request = try CertificateSigningRequest(privateKey: key, subject: subject)
        let certificate = try ca.sign(request, validity: .days(1), extendedKeyUsage: [.clientAuth])
        return (try key.export(type: .pkcs8), try certificate.pem)
    }

    private func show(_ answer: (status: Int, body: String)) -> String {
        "\(answer.status) \(answer.body.debugDescription)"
    }

    @Test func aClientWithACertificateFromTheCAIsGreeted() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await server(certs)
        defer { server.close() }
        let answer = try await get(port, certs, key: certs.clientKey, cert: certs.clientCert)
        #expect(
            answer == (200, "hello, student"),
            "a client whose certificate (CN=student) the CA signed: answer 200 \"hello, student\"; you answered \(show(answer))"
        )
    }

    @Test func theCommonNameIsFoundInAFullSubject() async throws {
        let certs = try await TestCertificates.forTest()
        let ca = try CertificateAuthority(
            certificate: try X509Certificate(pem: certs.caCert),
            privateKey: try crypto.createPrivateKey(
                try String(contentsOf: certs.folder.appendingPathComponent("ca.key"), encoding: .utf8)))
        let client = try clientCertificate(ca, [("C", "CN"), ("O", "深入浅出"), ("CN", "朴灵")])
        let (server, port) = try await server(certs)
        defer { server.close() }
        let answer = try await get(port, certs, key: client.key, cert: client.cert)
        #expect(
            answer == (200, "hello, 朴灵"),
            "a client whose subject is C=CN, O=深入浅出, CN=朴灵: answer 200 \"hello, 朴灵\", the CN alone; you answered \(show(answer))"
        )
    }

    @Test func aClientWithoutACertificateIsRefused() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await server(certs)
        defer { server.close() }
        let answer = try await get(port, certs)
        #expect(
            answer == (401, "UNABLE_TO_GET_ISSUER_CERT"),
            "a client that sent no certificate: answer 401 \"UNABLE_TO_GET_ISSUER_CERT\", its authorizationError (Node sets it even without a certificate); you answered \(show(answer))"
        )
    }

    @Test func aSelfSignedClientIsRefused() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await server(certs)
        defer { server.close() }
        let answer = try await get(port, certs, key: certs.selfSignedKey, cert: certs.selfSignedCert)
        #expect(
            answer == (401, "DEPTH_ZERO_SELF_SIGNED_CERT"),
            "a client with a self-signed certificate (it has one, but nobody vouches for it): answer 401 \"DEPTH_ZERO_SELF_SIGNED_CERT\", its authorizationError; you answered \(show(answer))"
        )
    }

    @Test func aClientFromAnotherCAIsRefused() async throws {
        let certs = try await TestCertificates.forTest()
        let otherCA = try CertificateAuthority.selfSigned(
            privateKey: try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey,
            subject: [("CN", "Anybody's CA")], validity: .days(1))
        let client = try clientCertificate(otherCA, [("CN", "admin")])
        let (server, port) = try await server(certs)
        defer { server.close() }
        let answer = try await get(port, certs, key: client.key, cert: client.cert)
        #expect(
            answer == (401, "UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
            "a client whose certificate says CN=admin but comes from a CA the server does not trust: answer 401 \"UNABLE_TO_VERIFY_LEAF_SIGNATURE\"; you answered \(show(answer))"
        )
    }
}
