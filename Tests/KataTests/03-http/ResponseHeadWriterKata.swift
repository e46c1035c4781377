import Kata
import Testing

/// Every expected head here is what Node 20 wrote for the same request and response (`Date`
/// replaced by `date`).
@Suite struct ResponseHeadWriterKata {
    static let date = "Wed, 25 Nov 2026 11:31:08 GMT"

    private func plan(
        status: Int = 200, version: String = "1.1", keepAlive: Bool? = nil, head: Bool = false,
        headers: [(name: String, value: String)] = [], body: ResponseBodyLength = .known(2)
    ) -> ResponseHeadPlan {
        planResponseHead(
            status: status, requestVersion: version, requestKeepAlive: keepAlive ?? (version == "1.1"),
            requestIsHead: head, headers: headers, body: body, date: Self.date)
    }

    /// The head with its line ends visible, for messages.
    private func show(_ text: String) -> String {
        text.replacing("\r\n", with: "\\r\\n")
    }

    private func check(_ plan: ResponseHeadPlan, _ lines: [String], closes: Bool, _ situation: String) {
        let expected = lines.map { $0 + "\r\n" }.joined() + "\r\n"
        #expect(
            plan.head == expected,
            "\(situation): the head must be \"\(show(expected))\"; you wrote \"\(show(plan.head))\"")
        #expect(
            plan.closesConnection == closes,
            "\(situation): the connection \(closes ? "closes" : "stays open") after; you said closesConnection = \(plan.closesConnection)"
        )
    }

    @Test func aKnownLengthIsSentAsContentLength() {
        check(
            plan(body: .known(2)),
            [
                "HTTP/1.1 200 OK", "Date: \(Self.date)", "Connection: keep-alive", "Keep-Alive: timeout=5",
                "Content-Length: 2",
            ],
            closes: false, "GET on HTTP/1.1, then res.end(\"hi\")")
    }

    @Test func aStreamedBodyIsChunked() {
        check(
            plan(body: .streamed),
            [
                "HTTP/1.1 200 OK", "Date: \(Self.date)", "Connection: keep-alive", "Keep-Alive: timeout=5",
                "Transfer-Encoding: chunked",
            ],
            closes: false, "GET on HTTP/1.1, res.write() then res.end()")
    }

    @Test func responsesWithoutABodyHaveNoFraming() {
        check(
            plan(head: true, headers: [("Content-Type", "text/plain")]),
            [
                "HTTP/1.1 200 OK", "Content-Type: text/plain", "Date: \(Self.date)", "Connection: keep-alive",
                "Keep-Alive: timeout=5",
            ],
            closes: false, "a HEAD request with the user's Content-Type")
        check(
            plan(status: 204, body: .known(0)),
            [
                "HTTP/1.1 204 No Content", "Date: \(Self.date)", "Connection: keep-alive",
                "Keep-Alive: timeout=5",
            ],
            closes: false, "status 204 on HTTP/1.1")
        check(
            plan(status: 304, body: .known(0)),
            [
                "HTTP/1.1 304 Not Modified", "Date: \(Self.date)", "Connection: keep-alive",
                "Keep-Alive: timeout=5",
            ],
            closes: false, "status 304 on HTTP/1.1")
    }

    @Test func anHTTP10BodyEndsWithTheConnection() {
        check(
            plan(version: "1.0", body: .known(2)),
            ["HTTP/1.1 200 OK", "Date: \(Self.date)", "Connection: close"],
            closes: true, "GET on HTTP/1.0 without keep-alive, then res.end(\"ok\") (no Content-Length!)")
        check(
            plan(version: "1.0", keepAlive: true, body: .known(2)),
            ["HTTP/1.1 200 OK", "Date: \(Self.date)", "Connection: close"],
            closes: true, "HTTP/1.0 with Connection: keep-alive, but no Content-Length of the user's")
        check(
            plan(version: "1.0", keepAlive: true, head: true),
            ["HTTP/1.1 200 OK", "Date: \(Self.date)", "Connection: close"],
            closes: true, "HEAD on HTTP/1.0 with Connection: keep-alive")
    }

    @Test func anHTTP10KeepAliveNeedsTheUsersContentLength() {
        check(
            plan(version: "1.0", keepAlive: true, headers: [("Content-Length", "2")]),
            [
                "HTTP/1.1 200 OK", "Content-Length: 2", "Date: \(Self.date)", "Connection: keep-alive",
                "Keep-Alive: timeout=5",
            ],
            closes: false, "HTTP/1.0 with Connection: keep-alive, and the user set Content-Length: 2")
    }

    @Test func aClientsConnectionCloseIsHonoured() {
        check(
            plan(keepAlive: false),
            ["HTTP/1.1 200 OK", "Date: \(Self.date)", "Connection: close", "Content-Length: 2"],
            closes: true, "an HTTP/1.1 request with Connection: close, then res.end(\"hi\")")
    }

    @Test func theUsersConnectionHeaderDecides() {
        check(
            plan(headers: [("Connection", "close")]),
            ["HTTP/1.1 200 OK", "Connection: close", "Date: \(Self.date)", "Content-Length: 2"],
            closes: true, "the user set Connection: close on a keep-alive request")
        check(
            plan(keepAlive: false, headers: [("Connection", "keep-alive")]),
            ["HTTP/1.1 200 OK", "Connection: keep-alive", "Date: \(Self.date)", "Content-Length: 2"],
            closes: false, "the user set Connection: keep-alive on a request that asked to close")
        check(
            plan(headers: [("Connection", "Upgrade, CLOSE")]),
            ["HTTP/1.1 200 OK", "Connection: Upgrade, CLOSE", "Date: \(Self.date)", "Content-Length: 2"],
            closes: true, "the user's Connection: Upgrade, CLOSE holds the word close")
        check(
            plan(headers: [("Connection", "closed")]),
            ["HTTP/1.1 200 OK", "Connection: closed", "Date: \(Self.date)", "Content-Length: 2"],
            closes: false, "the user's Connection: closed does not hold the word close")
        check(
            plan(version: "1.0", headers: [("Connection", "keep-alive")]),
            ["HTTP/1.1 200 OK", "Connection: keep-alive", "Date: \(Self.date)"],
            closes: true, "the user set Connection: keep-alive on HTTP/1.0, but the body still has no length")
    }

    @Test func theUsersDateAndFramingAreKept() {
        check(
            plan(headers: [("Date", "yesterday")]),
            [
                "HTTP/1.1 200 OK", "Date: yesterday", "Connection: keep-alive", "Keep-Alive: timeout=5",
                "Content-Length: 2",
            ],
            closes: false, "the user set Date")
        check(
            plan(headers: [("Transfer-Encoding", "chunked")], body: .streamed),
            [
                "HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "Date: \(Self.date)",
                "Connection: keep-alive", "Keep-Alive: timeout=5",
            ],
            closes: false, "the user set Transfer-Encoding")
        check(
            plan(head: true, headers: [("content-length", "5")]),
            [
                "HTTP/1.1 200 OK", "content-length: 5", "Date: \(Self.date)", "Connection: keep-alive",
                "Keep-Alive: timeout=5",
            ],
            closes: false, "HEAD, and the user set content-length (lower case)")
    }

    @Test func statusLinesUseTheReasonTable() {
        for (status, reason) in [
            (400, "Bad Request"), (404, "Not Found"), (417, "Expectation Failed"),
            (500, "Internal Server Error"),
            (299, "unknown"),
        ] {
            let head = plan(status: status).head
            let line = String(head.prefix { $0 != "\r\n" })
            #expect(
                line == "HTTP/1.1 \(status) \(reason)",
                "status \(status)'s line is \"HTTP/1.1 \(status) \(reason)\"; you wrote \"\(line)\"")
        }
    }
}
