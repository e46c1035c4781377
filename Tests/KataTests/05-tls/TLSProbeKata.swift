import Kata
import NodeNet
import TestSupport
import Testing

/// Real TLS servers on loopback for your probe: one it should trust, one self-signed, one with a
/// certificate for another name, and a port where nothing listens.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct TLSProbeKata {
    /// The server's side of the probe's connection: what it negotiated, and whether it closed.
    @NodeActor final class ServerSide {
        var negotiated: String?
        var closed = false
        var changed: @NodeActor () -> Void = {}
    }

    private func server(key: String, cert: String, _ side: ServerSide = ServerSide()) async throws -> (
        TLSServer, Int
    ) {
        let server = try tls.createServer(TLSOptions(key: key, cert: cert)) { socket in
            side.negotiated = "\(socket.getProtocol() ?? "?") \(socket.cipherName ?? "?")"
            side.changed()
            socket.on(.error) { _ in }
            // Reading is what lets the client's end arrive, and the server's side close after it.
            socket.on(.data) { _ in }
            socket.on(.close) { _ in
                side.closed = true
                side.changed()
            }
        }
        server.on(.tlsClientError) { _, _ in }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        return (server, server.address()!.port)
    }

    private func probe(_ port: Int, host: String = "localhost", _ ca: [String], _ situation: String) async
        -> String?
    {
        do {
            return try await waitFor("the probe's line", seconds: 30) { done in
                probeTLS(port: port, host: host, ca: ca, done: done)
            }
        } catch {
            Issue.record(
                "\(situation): done was not called \(waited(30, error)). Call it from secureConnect, or from error with \"refused: \" and the code"
            )
            return nil
        }
    }

    @Test func aTrustedServerIsDescribedAndLeft() async throws {
        let certs = try await TestCertificates.forTest()
        let side = ServerSide()
        let (server, port) = try await server(key: certs.serverKey, cert: certs.serverCert, side)
        defer { server.close() }
        let situation = "a server whose certificate (CN=localhost) the CA in ca signed"
        guard let line = await probe(port, [certs.caCert], situation) else { return }
        // The client's handshake ends before the server's: wait for the server's view.
        try await waitFor("the server's secureConnection", seconds: 30) { done in
            side.changed = { if side.negotiated != nil { done() } }
            side.changed()
        }
        let certificate = try X509Certificate(pem: certs.serverCert)
        let expected =
            "\(side.negotiated ?? "?"), certificate \(certificate.subject) from \(certificate.issuer)"
        #expect(
            line == expected,
            "\(situation): the line must be \(expected.debugDescription); you said \(line.debugDescription)")
        do {
            try await waitFor("the probe's connection to end", seconds: 30) { done in
                side.changed = { done() }
                if side.closed { done() }
            }
        } catch {
            Issue.record(
                "after the handshake the probe must end its connection (socket.end()); it did not end \(waited(30, error))"
            )
        }
    }

    @Test func aSelfSignedServerIsRefused() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await server(key: certs.selfSignedKey, cert: certs.selfSignedCert)
        defer { server.close() }
        let situation = "a server with a self-signed certificate for localhost, which nobody vouches for"
        guard let line = await probe(port, [certs.caCert], situation) else { return }
        #expect(
            line == "refused: DEPTH_ZERO_SELF_SIGNED_CERT",
            "\(situation): the line must be \"refused: DEPTH_ZERO_SELF_SIGNED_CERT\"; you said \(line.debugDescription). Keep Node's check on"
        )
    }

    @Test func aCertificateForAnotherNameIsRefused() async throws {
        let certs = try await TestCertificates.forTest()
        let other = try certs.serverIdentity(["DNS:example.test"])
        let (server, port) = try await server(key: other.key, cert: other.cert)
        defer { server.close() }
        let situation = "a server for localhost presenting a good certificate for example.test"
        guard let line = await probe(port, [certs.caCert], situation) else { return }
        #expect(
            line == "refused: ERR_TLS_CERT_ALTNAME_INVALID",
            "\(situation): the line must be \"refused: ERR_TLS_CERT_ALTNAME_INVALID\"; you said \(line.debugDescription)"
        )
    }

    @Test func nobodyListeningIsRefused() async throws {
        let certs = try await TestCertificates.forTest()
        let closed = try ReservedPort()
        let situation = "a port where nothing listens"
        guard let line = await probe(closed.number, [certs.caCert], situation) else { return }
        #expect(
            line == "refused: ECONNREFUSED",
            "\(situation): the line must be \"refused: ECONNREFUSED\"; you said \(line.debugDescription)")
    }
}
