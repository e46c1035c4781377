/// Requests that break HTTP/1.1's rules, each with the answer Node 20 gives it (recorded from a
/// `http.createServer((req, res) => res.end('ok'))`, and re-checked against Node by the interop test).
public struct MalformedRequest: Sendable, CustomTestStringConvertibleShim {
    /// What is wrong with it.
    public let name: String
    /// The bytes sent, in one write.
    public let bytes: [UInt8]
    /// The first line of Node's answer.
    public let statusLine: String
    /// Whether Node keeps the connection open afterwards.
    public let staysOpen: Bool

    init(_ name: String, _ text: String, _ status: Int, staysOpen: Bool = false) {
        self.name = name
        // Latin-1, so that "\u{FF}" is the single byte 0xFF.
        bytes = text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        statusLine = status == 400 ? "HTTP/1.1 400 Bad Request" : "HTTP/1.1 200 OK"
        self.staysOpen = staysOpen
    }

    /// The corpus.
    public static let corpus: [MalformedRequest] = [
        .init("bad method", "FOO / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        .init("lower-case method", "get / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        .init("bad version", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", 400),
        .init("version 3", "GET / HTTP/3.0\r\nHost: x\r\n\r\n", 400),
        .init("garbage version", "GET / HTXP/1.1\r\nHost: x\r\n\r\n", 400),
        .init("space in header name", "GET / HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n", 400),
        .init("space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
        .init(
            "duplicate Content-Length",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400),
        .init(
            "different Content-Lengths",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy", 400),
        .init(
            "Transfer-Encoding with Content-Length",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n0\r\n\r\n",
            400),
        .init(
            "chunked not last",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400),
        .init("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", 400),
        .init("bare LF", "GET / HTTP/1.1\nHost: x\n\n", 400),
        .init("bare CR", "GET / HTTP/1.1\rHost: x\r\r", 400),
        .init("NUL in a value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\u{0}b\r\n\r\n", 400),
        .init("byte 0xFF in the target", "GET /\u{FF} HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        .init("target without a slash", "GET x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        .init("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400),
        .init("negative Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        // The head is fine, so the request is answered; the body then fails to parse.
        .init(
            "bad chunk size",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n", 200),
        // Accepted by Node 20's parser.
        .init("two Host headers", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 200, staysOpen: true),
        .init("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 200, staysOpen: true),
        .init(
            "extra spaces in the request line", "GET  /  HTTP/1.1\r\nHost: x\r\n\r\n", 200, staysOpen: true),
    ]
}

/// Lets Swift Testing name each case by `name` in parameterized tests.
public protocol CustomTestStringConvertibleShim: CustomStringConvertible {
    var name: String { get }
}

extension CustomTestStringConvertibleShim {
    /// The case's name.
    public var description: String { name }
}
