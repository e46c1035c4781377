import Kata
import NodeNet
import TestSupport
import Testing

/// Your handler on two real servers, a plain HTTP one and an HTTPS one, as a site runs them; raw
/// HTTP requests with the Host headers browsers send, and an HTTPS client that follows the
/// redirect.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPSRedirectKata {
    /// The plain HTTP server, redirecting to `httpsPort`.
    private func plainServer(httpsPort: Int) async throws -> (HTTPServer, Int) {
        try await listeningHTTPServer { req, res in redirectToHTTPS(req, res, httpsPort: httpsPort) }
    }

    /// The answer to a raw request on the plain HTTP port: status line and headers.
    private func ask(_ port: Int, _ head: String) async throws -> (status: String, headers: [String: String])?
    {
        let reply: RawReply
        do {
            reply = try await rawExchange(port, head, seconds: 30) { $0.contains("\r\n\r\n") }
        } catch {
            Issue.record(
                "the request \(head.prefix { $0 != "\r" }.debugDescription) got no answer \(waited(30, error))"
            )
            return nil
        }
        let lines = reply.text.split(separator: "\r\n", omittingEmptySubsequences: false)
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { break }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        return (String(lines.first ?? ""), headers)
    }

    private func expectRedirect(
        _ port: Int, method: String = "GET", target: String, host: String, to location: String, status: String
    ) async throws {
        let body = method == "POST" ? "Content-Length: 6\r\n\r\nname=x" : "\r\n"
        let head = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\(body)"
        guard let answer = try await ask(port, head) else { return }
        let request = "\(method) \(target) with Host: \(host)"
        #expect(
            answer.status == status,
            "\(request) over plain HTTP must be answered \(status.debugDescription); you answered \(answer.status.debugDescription)"
        )
        #expect(
            answer.headers["location"] == location,
            "\(request) must be sent to Location: \(location); your Location was \(answer.headers["location"]?.debugDescription ?? "missing")"
        )
        #expect(
            answer.headers["strict-transport-security"] == nil,
            "\(request) came over plain HTTP, where Strict-Transport-Security means nothing (anybody on the path could add it): send it only over HTTPS"
        )
    }

    @Test func plainHTTPIsRedirectedAndHTTPSAnswersWithHSTS() async throws {
        let certs = try await TestCertificates.forTest()
        let identity = Identity(key: certs.serverKey, cert: certs.serverCert)
        // Requests over HTTPS are answered whatever httpsPort says.
        let (secure, httpsPort) = try await listeningHTTPSServer(identity) { req, res in
            redirectToHTTPS(req, res, httpsPort: 443)
        }
        defer { secure.close() }
        let (plain, httpPort) = try await plainServer(httpsPort: httpsPort)
        defer { plain.close() }
        try await expectRedirect(
            httpPort, target: "/account?tab=1", host: "localhost:\(httpPort)",
            to: "https://localhost:\(httpsPort)/account?tab=1", status: "HTTP/1.1 301 Moved Permanently")
        var options = RequestOptions(host: "localhost", port: httpsPort, path: "/account?tab=1", agent: nil)
        options.tls = TLSOptions(ca: [certs.caCert])
        let answer: FetchedResponse
        switch try await fetchHTTPS(options) {
        case .success(let fetched): answer = fetched
        case .failure(let error):
            Issue.record("following the redirect, the HTTPS request failed: \(error.code) \(error.message)")
            return
        }
        #expect(
            answer.status == 200 && answer.body == "hello over HTTPS",
            "over HTTPS the answer must be 200 \"hello over HTTPS\"; it was \(answer.status) \(answer.body.debugDescription)"
        )
        #expect(
            answer.headers["strict-transport-security"] == "max-age=31536000",
            "over HTTPS the answer must carry Strict-Transport-Security: max-age=31536000; it had \(answer.headers["strict-transport-security"]?.debugDescription ?? "none")"
        )
    }

    @Test func otherMethodsAre308SoThatTheyKeepTheirBody() async throws {
        let (plain, httpPort) = try await plainServer(httpsPort: 8443)
        defer { plain.close() }
        try await expectRedirect(
            httpPort, method: "POST", target: "/login", host: "127.0.0.1:\(httpPort)",
            to: "https://127.0.0.1:8443/login", status: "HTTP/1.1 308 Permanent Redirect")
        try await expectRedirect(
            httpPort, method: "HEAD", target: "/", host: "localhost", to: "https://localhost:8443/",
            status: "HTTP/1.1 301 Moved Permanently")
    }

    @Test func theHostNameLosesItsPortOnly() async throws {
        let (plain, httpPort) = try await plainServer(httpsPort: 443)
        defer { plain.close() }
        try await expectRedirect(
            httpPort, target: "/", host: "example.test:8080", to: "https://example.test/",
            status: "HTTP/1.1 301 Moved Permanently")
        try await expectRedirect(
            httpPort, target: "/a/b", host: "[::1]:8080", to: "https://[::1]/a/b",
            status: "HTTP/1.1 301 Moved Permanently")
        try await expectRedirect(
            httpPort, target: "/", host: "example.test", to: "https://example.test/",
            status: "HTTP/1.1 301 Moved Permanently")
    }

    @Test func withoutAHostThereIsNothingToRedirectTo() async throws {
        let (plain, httpPort) = try await plainServer(httpsPort: 8443)
        defer { plain.close() }
        guard let answer = try await ask(httpPort, "GET / HTTP/1.0\r\n\r\n") else { return }
        #expect(
            answer.status == "HTTP/1.1 400 Bad Request",
            "an HTTP/1.0 request without a Host header must be answered 400; you answered \(answer.status.debugDescription)"
        )
    }
}
