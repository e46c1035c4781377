/// §3.2 (HTTP报文): a request begins with its head: the request line, the header lines, a blank line.
///
/// Push the bytes as they arrive, in chunks cut anywhere. `push` returns nil until the blank line
/// has arrived, then the head. It throws when the head is malformed, with the error Node's parser
/// (llhttp) would report. Its request line is simpler than Node's: exactly
/// `METHOD SP target SP HTTP/1.x CRLF`, where the method is any word of capital letters (Node
/// knows a list) and the target is `*`, a path starting with `/`, or `host:port` for CONNECT. Node
/// also takes repeated spaces, absolute URLs, and HTTP/0.9 or 2.0.
///
/// Node also refuses a head whose URL, header names and header values add up to `maxHeaderSize`
/// bytes or more (16 KiB by default). It counts the values without their leading spaces, and
/// does not count the method, the version, the colons or the line ends.
public struct RequestHeadParser {
    /// A parser for one request head.
    public init(maxHeaderSize: Int = 16384) {
        // Your code here.
    }

    /// Takes the next chunk; returns the head once its blank line has arrived, else nil.
    public mutating func push(_ chunk: [UInt8]) throws(RequestHeadError) -> ParsedRequestHead? {
        // Your code here.
        nil
    }
}

/// A request head, as Node's `IncomingMessage` shows it.
public struct ParsedRequestHead: Sendable {
    /// The method: `GET` (Node's `req.method`).
    public var method: String
    /// The request target as sent: `/search?q=node` (Node's `req.url`).
    public var target: String
    /// The version without `HTTP/`: `1.1` or `1.0` (Node's `req.httpVersion`).
    public var version: String
    /// The headers by lower-cased name (Node's `req.headers`). The values of a name sent more than
    /// once are joined with ", " (Node does that for most names).
    public var headers: [String: String]
    /// Every header in the order sent, the name as sent and the value without surrounding spaces
    /// or tabs (Node's `req.rawHeaders`, as pairs).
    public var rawHeaders: [(name: String, value: String)]
    /// The bytes the head took, blank line included. The body starts at this offset of all the
    /// bytes pushed.
    public var headLength: Int
}

/// Why a head was refused, named after the error codes of llhttp, Node's HTTP parser.
public enum RequestHeadError: Error, Equatable, Sendable {
    /// `HPE_INVALID_METHOD`: the method is empty or not all capital letters, or no space follows it.
    case invalidMethod
    /// `HPE_INVALID_URL`: the target is not `*`, a path starting with `/` (`host:port` for
    /// CONNECT), or it holds a byte that is not visible ASCII.
    case invalidURL
    /// `HPE_INVALID_VERSION`: no version, one other than `HTTP/1.0` or `HTTP/1.1`, or a request
    /// line that ends in a bare LF.
    case invalidVersion
    /// `HPE_INVALID_HEADER_TOKEN`: a header name that is empty or has a byte that is not a token
    /// character (a space before the colon, no colon at all); a control character in a value; a
    /// line starting with a space or a tab that would continue the previous value (obs-fold); a
    /// blank line that is a bare LF.
    case invalidHeaderToken
    /// `HPE_UNEXPECTED_SPACE`: the first header line starts with a space.
    case unexpectedSpace
    /// `HPE_CR_EXPECTED`: a header line ends in LF without a CR before it.
    case crExpected
    /// `HPE_LF_EXPECTED`: a CR in a header value that no LF follows.
    case lfExpected
    /// `HPE_HEADER_OVERFLOW`: URL + header names + header values reached `maxHeaderSize` bytes.
    case headerOverflow
}
