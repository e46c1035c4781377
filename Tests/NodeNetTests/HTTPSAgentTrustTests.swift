import NodeNet
import TestSupport
import Testing

/// A kept-alive TLS connection carries the trust decision it was made with: an agent lends it
/// only to requests whose TLS options would have made the same decision (Node's
/// `https.Agent#getName`).
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPSAgentTrustTests {
    /// An HTTPS server on a free port that answers with the subject of the client's certificate
    /// ("none" without one), and counts the TCP connections clients made to it. It keeps an idle
    /// connection for a minute, not Node's 5 s, and the agent likewise: on a loaded machine a
    /// test's requests can be 5 s apart, and a connection closed for idling is not the point.
    private func server(_ tls: TLSOptions) async throws -> (HTTPSServer, Int, Connections) {
        let connections = Connections()
        let server = try https.createServer(tls, HTTPServerOptions(keepAliveTimeout: 60_000)) { req, res in
            res.end((req.socket as? TLSSocket)?.getPeerCertificate()?.subject ?? "none")
        }
        server.on(.connection) { _ in connections.count += 1 }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        return (server, server.address()!.port, connections)
    }

    /// GETs `/` with `tls` through `agent`: the status and body, or the request's error.
    private func get(_ port: Int, _ tls: TLSOptions, _ agent: Agent) async throws -> Result<
        (Int, String), NodeError
    > {
        var options = RequestOptions()
        options.tls = tls
        options.agent = agent
        return try await waitFor("a response", seconds: 30) { done in
            let request = https.get("https://localhost:\(port)/", options) { res in
                var body = ""
                res.on(.data) { body += $0.toString() }
                res.on(.end) { done(.success((res.statusCode, body))) }
            }
            request.on(.error) { done(.failure($0)) }
        }
    }

    @Test func aVerifyingRequestNeverRidesAConnectionThatWasNotVerified() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port, connections) = try await server(
            TLSOptions(key: certs.selfSignedKey, cert: certs.selfSignedCert))
        defer { server.close() }
        let agent = Agent(keepAlive: true, timeout: 60_000)
        defer { agent.destroy() }
        // A careless request: it accepts the self-signed certificate, and its connection is kept.
        let careless = try await get(port, TLSOptions(rejectUnauthorized: false), agent).get()
        #expect(careless.0 == 200)
        #expect(agent.freeSockets.values.reduce(0, +) == 1)
        // A careful one to the same host and port, inside the keep-alive window, must judge the
        // certificate itself, and refuse it, as Node does.
        let careful = try await get(port, TLSOptions(), agent)
        #expect(throws: NodeError.self) { try careful.get() }
        if case .failure(let error) = careful { #expect(error.code == "DEPTH_ZERO_SELF_SIGNED_CERT") }
        #expect(connections.count == 2, "the careful request made a connection of its own")
    }

    @Test func aClientCertificateNeverRidesAConnectionMadeWithAnother() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port, connections) = try await server(
            TLSOptions(
                key: certs.serverKey, cert: certs.serverCert, ca: [certs.caCert], requestCert: true,
                rejectUnauthorized: false))
        defer { server.close() }
        let agent = Agent(keepAlive: true, timeout: 60_000)
        defer { agent.destroy() }
        let asStudent = TLSOptions(key: certs.clientKey, cert: certs.clientCert, ca: [certs.caCert])
        let asSomeoneElse = TLSOptions(
            key: certs.selfSignedKey, cert: certs.selfSignedCert, ca: [certs.caCert])
        #expect(try await get(port, asStudent, agent).get().1 == "CN=student")
        #expect(try await get(port, asSomeoneElse, agent).get().1 == "CN=localhost")
        #expect(try await get(port, TLSOptions(ca: [certs.caCert]), agent).get().1 == "none")
        // The same identity again rides its own kept connection: keep-alive still works.
        #expect(try await get(port, asStudent, agent).get().1 == "CN=student")
        #expect(connections.count == 3)
    }

    @Test func eachCheckServerIdentityGetsConnectionsOfItsOwn() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port, connections) = try await server(
            TLSOptions(key: certs.serverKey, cert: certs.serverCert))
        defer { server.close() }
        let agent = Agent(keepAlive: true, timeout: 60_000)
        defer { agent.destroy() }
        var lenient = TLSOptions(ca: [certs.caCert])
        lenient.checkServerIdentity = { _, _ in nil }
        var strict = TLSOptions(ca: [certs.caCert])
        strict.checkServerIdentity = { host, _ in NodeError(code: "ERR_NOT_THIS_HOST", message: host) }
        #expect(try await get(port, lenient, agent).get().0 == 200)
        #expect(try await get(port, lenient, agent).get().0 == 200)
        #expect(connections.count == 1, "the same options share a connection")
        let refused = try await get(port, strict, agent)
        if case .failure(let error) = refused {
            #expect(error.code == "ERR_NOT_THIS_HOST")
        } else {
            Issue.record("the strict check was never asked: \(refused)")
        }
    }
}

/// How many TCP connections a server accepted.
@NodeActor private final class Connections {
    var count = 0
}
