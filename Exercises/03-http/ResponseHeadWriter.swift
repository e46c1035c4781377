/// §3.3 (HTTP响应): the head Node writes in front of a response.
///
/// `res.writeHead()` and the headers you set are not all that goes out: Node adds `Date`, the
/// `Connection` lines, and the body's framing. Return the exact head Node 20 writes, and whether
/// the connection closes after this response. The request is described by its version (`1.1` or
/// `1.0`), whether it asked to keep the connection alive, and whether its method was HEAD; `date`
/// is the text for the Date header. Node's algorithm (`OutgoingMessage._storeHeader`):
///
/// - The status line is always `HTTP/1.1 <status> <reason>` (`unknown` for a status not in
///   `ResponseHeadPlan.reasons`). Then the user's headers, in order, as given. Then
///   `Date: <date>`, unless the user set a Date. Names match whatever their case.
/// - If the user set `Connection`: nothing is added, and the connection closes after when the
///   value holds the word `close` (any case), else it stays open.
/// - Otherwise, when the request keeps alive and either the user set `Content-Length` or the
///   request is HTTP/1.1: `Connection: keep-alive` and `Keep-Alive: timeout=5`. Else
///   `Connection: close`, and the connection closes after.
/// - If the user set neither `Content-Length` nor `Transfer-Encoding`, and the response has a
///   body (not for HEAD, nor for status 204, 304, 1xx): an HTTP/1.1 request gets
///   `Content-Length: <n>` for a known length, or `Transfer-Encoding: chunked`. An HTTP/1.0
///   request gets neither, and the connection closes after, since its end marks the body's end.
/// - The head ends with an empty line. Every line ends in CRLF.
public func planResponseHead(
    status: Int,
    requestVersion: String,
    requestKeepAlive: Bool,
    requestIsHead: Bool,
    headers: [(name: String, value: String)],
    body: ResponseBodyLength,
    date: String
) -> ResponseHeadPlan {
    // Your code here.
    ResponseHeadPlan(head: "", closesConnection: false)
}

/// Whether the response's length is known when its head goes out.
public enum ResponseBodyLength: Equatable, Sendable {
    /// `res.end(data)` with nothing written before: Node knows the whole body and its length in bytes.
    case known(Int)
    /// `res.write(data)` before `end()`: more may follow, so the length is unknown.
    case streamed
}

/// What Node writes before a response's body, and what happens to the connection after it.
public struct ResponseHeadPlan: Equatable, Sendable {
    /// The head's exact text, from the status line to the empty line; ASCII, so its UTF-8 bytes
    /// are the bytes on the wire.
    public var head: String
    /// Whether Node closes the connection once this response is done.
    public var closesConnection: Bool

    /// A plan with these parts.
    public init(head: String, closesConnection: Bool) {
        self.head = head
        self.closesConnection = closesConnection
    }

    /// The reason phrases of the status codes this workspace uses (Node's `http.STATUS_CODES`).
    public static let reasons: [Int: String] = [
        100: "Continue", 200: "OK", 204: "No Content", 304: "Not Modified", 400: "Bad Request",
        404: "Not Found", 417: "Expectation Failed", 500: "Internal Server Error",
        503: "Service Unavailable",
    ]
}
