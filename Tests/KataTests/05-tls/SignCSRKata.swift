import Foundation
import Kata
import NodeNet
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1)))
@NodeActor struct SignCSRKata {
    /// A CA of the test's own. EC keys are quick to make; the server's key is RSA where it matters.
    private func makeCA() throws -> CertificateAuthority {
        try CertificateAuthority.selfSigned(
            privateKey: try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey,
            subject: [("O", "深入浅出"), ("CN", "Kata Test CA")], validity: .days(30))
    }

    /// The certificate in `pem`, or nil with an issue saying what is wrong.
    private func readCertificate(_ pem: String) -> X509Certificate? {
        guard pem.hasPrefix("-----BEGIN CERTIFICATE-----\n"), let certificate = try? X509Certificate(pem: pem)
        else {
            Issue.record(
                "return the certificate as PEM text, -----BEGIN CERTIFICATE-----… (X509Certificate's .pem); you returned \(pem.prefix(40).debugDescription)"
            )
            return nil
        }
        return certificate
    }

    @Test func openSSLVerifiesItWithTheCA() async throws {
        let ca = try makeCA()
        let key = try crypto.generateKeyPairSync(.rsa(modulusLength: 2048)).privateKey
        let pem = try signServerCertificate(host: "localhost", privateKey: key, ca: ca, days: 30)
        guard let certificate = readCertificate(pem) else { return }
        let openssl = try requirePeer("openssl")
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("ca.crt", try ca.certificate.pem)
        try folder.write("server.crt", pem)
        let run = try await runPeer(
            openssl, ["verify", "-CAfile", "ca.crt", "-purpose", "sslserver", "server.crt"], in: folder.url)
        guard run.status != 0 || run.output != "server.crt: OK\n" else { return }
        let why =
            certificate.verify(try ca.certificate.publicKey)
            ? "the CA did sign it, but not for a TLS server: keep ca.sign's default extendedKeyUsage [.serverAuth]"
            : "its signature is not the CA's: have the CA sign the request (ca.sign)"
        Issue.record(
            "openssl verify -CAfile ca.crt -purpose sslserver server.crt must say \"server.crt: OK\"; it said \(said(run)). \(why)"
        )
    }

    @Test func theNamesTheDaysAndTheIssuer() throws {
        let ca = try makeCA()
        let key = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let now = Int(Date().timeIntervalSince1970)
        let pem = try signServerCertificate(host: "shop.example.com", privateKey: key, ca: ca, days: 90)
        guard let certificate = readCertificate(pem) else { return }
        #expect(
            certificate.subject == "CN=shop.example.com",
            "the subject is CN=<host>: CN=shop.example.com; yours is \(certificate.subject.debugDescription)")
        #expect(
            certificate.subjectAltName == "DNS:shop.example.com, IP Address:127.0.0.1",
            "ask for the subjectAltNames DNS:<host> and IP:127.0.0.1 in the request; the certificate has \(certificate.subjectAltName ?? "none")"
        )
        let seconds = certificate.notAfter - certificate.notBefore
        let days = seconds % 86_400 == 0 ? "\(seconds / 86_400) days" : "\(seconds) seconds"
        #expect(
            seconds == 90 * 86_400,
            "the certificate must be valid for 90 days; yours is valid for \(days) (\(certificate.validFrom) to \(certificate.validTo))"
        )
        #expect(
            abs(certificate.notBefore - now) < 300,
            "the certificate must be valid from now; yours starts \(certificate.validFrom)")
        #expect(
            certificate.issuer == ca.certificate.subject,
            "the issuer is the CA that signed it, \(ca.certificate.subject.debugDescription); yours says \(certificate.issuer.debugDescription)"
        )
        #expect(
            certificate.verify(try ca.certificate.publicKey),
            "the certificate's signature must be the CA's: ca.sign(request, …)")
        #expect(
            certificate.checkPrivateKey(key),
            "the certificate must certify the server's own key, the one the request was made from")
    }

    @Test func aClientThatTrustsTheCAIsAuthorized() async throws {
        let ca = try makeCA()
        let key = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let pem = try signServerCertificate(host: "localhost", privateKey: key, ca: ca, days: 1)
        guard readCertificate(pem) != nil else { return }
        let server = try tls.createServer(TLSOptions(key: try key.export(type: .pkcs8), cert: pem)) {
            socket in
            // The client hangs up as soon as it has judged the certificate.
            socket.on(.error) { _ in }
            socket.end("hello")
        }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        defer { server.close() }
        for host in ["localhost", "127.0.0.1"] {
            let socket = tls.connect(server.address()!.port, host, TLSOptions(ca: [try ca.certificate.pem]))
            defer { socket.destroy() }
            let result: Result<Bool, NodeError> = try await waitFor("secureConnect or error") { done in
                socket.once(.secureConnect) { done(.success(socket.authorized)) }
                socket.once(.error) { done(.failure($0)) }
            }
            switch result {
            case .success(let authorized):
                #expect(authorized, "a client trusting the CA that connects to \(host) must be authorized")
            case .failure(let error):
                Issue.record(
                    "a client trusting the CA refused your certificate when connecting to \(host): \(error.code) (\(error.message))"
                )
            }
        }
    }
}

/// What a peer program printed, on one line, as a failure message shows it.
private func said(_ run: PeerRun) -> String {
    let lines = (run.output + run.errors).split(separator: "\n").map {
        $0.trimmingCharacters(in: .whitespaces)
    }
    return "exit \(run.status): " + lines.joined(separator: " / ")
}
