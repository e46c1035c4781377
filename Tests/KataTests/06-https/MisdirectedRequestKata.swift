import Kata
import NodeNet
import TestSupport
import Testing

/// A real HTTPS server with your handler and one certificate for `localhost`, `a.test`, `b.test`
/// and 127.0.0.1; real clients that send one name as SNI and another (or the same) as Host.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct MisdirectedRequestKata {
    private func server() async throws -> (HTTPSServer, Int, TestCertificates) {
        let certs = try await TestCertificates.forTest()
        let identity = try certs.serverIdentity(["DNS:localhost", "DNS:a.test", "DNS:b.test", "IP:127.0.0.1"])
        let (server, port) = try await listeningHTTPSServer(identity) { req, res in serveNamedSite(req, res) }
        return (server, port, certs)
    }

    /// A GET to 127.0.0.1 with `sni` as the TLS servername (none if nil) and `host` as the Host header.
    private func ask(_ port: Int, _ certs: TestCertificates, sni: String?, host: String) async throws
        -> String
    {
        var options = RequestOptions(
            host: "127.0.0.1", port: port, path: "/", headers: [("Host", host)], agent: nil)
        options.tls = TLSOptions(ca: [certs.caCert], servername: sni)
        switch try await fetchHTTPS(options) {
        case .success(let answer): return "\(answer.status) \(answer.body.debugDescription)"
        case .failure(let error): return "the request failed: \(error.code)"
        }
    }

    private func check(
        _ port: Int, _ certs: TestCertificates, sni: String?, host: String, _ expected: String, _ why: String
    ) async throws {
        let answer = try await ask(port, certs, sni: sni, host: host)
        let request = "SNI \(sni ?? "none"), Host: \(host)"
        #expect(answer == expected, "\(request) (\(why)): expected \(expected); you answered \(answer)")
    }

    @Test func theSameNameIsServed() async throws {
        let (server, port, certs) = try await server()
        defer { server.close() }
        try await check(
            port, certs, sni: "a.test", host: "a.test", "200 \"welcome to a.test\"", "the same name")
        try await check(
            port, certs, sni: "a.test", host: "A.Test:\(port)", "200 \"welcome to a.test\"",
            "the same name: a port and upper case do not make it another")
    }

    @Test func anotherNameIsMisdirected() async throws {
        let (server, port, certs) = try await server()
        defer { server.close() }
        try await check(
            port, certs, sni: "a.test", host: "b.test:\(port)", "421 \"this connection is for a.test\"",
            "the connection was made for a.test; the certificate covers b.test too, but the handshake was not for it"
        )
    }

    @Test func withoutSNIHostDecides() async throws {
        let (server, port, certs) = try await server()
        defer { server.close() }
        try await check(
            port, certs, sni: nil, host: "b.test:\(port)", "200 \"welcome to b.test\"",
            "a client that connected to an IP address sends no SNI: there is nothing to disagree with")
    }

    @Test func withoutHostThereIsNoSite() async throws {
        let (server, port, certs) = try await server()
        defer { server.close() }
        let reply: String
        do {
            reply = try await waitFor("the answer", seconds: 30) { done in
                let socket = tls.connect(
                    port, "127.0.0.1", TLSOptions(ca: [certs.caCert], servername: "a.test"))
                var received = ""
                socket.on(.data) { received += $0.toString() }
                socket.on(.error) { _ in }
                socket.on(.close) { _ in done(received) }
                socket.write("GET / HTTP/1.0\r\n\r\n")
            }
        } catch {
            Issue.record("an HTTP/1.0 request without Host got no answer \(waited(30, error))")
            return
        }
        let status = String(reply.prefix { $0 != "\r\n" })
        #expect(
            status == "HTTP/1.1 400 Bad Request",
            "an HTTP/1.0 request without a Host header must be answered 400; the answer began \(status.debugDescription)"
        )
    }
}
