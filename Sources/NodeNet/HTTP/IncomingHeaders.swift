import NIOHTTP1

/// How Node folds a received header list into `message.headers`: names lower-cased; a repeated
/// header joined with ", " (`cookie` with "; "), except the ones that may appear only once,
/// where the first wins; `set-cookie` is a list, so it is in `headersDistinct` only.
enum IncomingHeaders {
    /// Headers where a second copy is dropped, as Node's `matchKnownFields` does.
    static let firstWins: Set<String> = [
        "age", "authorization", "content-length", "content-type", "etag", "expires", "from", "host",
        "if-modified-since", "if-unmodified-since", "last-modified", "location", "max-forwards",
        "proxy-authorization", "referer", "retry-after", "server", "user-agent",
    ]

    /// Node's default `maxHeadersCount` in effect: with the option unset, Node 20 keeps 1000
    /// header lines (its parser counts 2000 names and values).
    static let defaultMaxCount = 1000

    /// The parser's header lines as pairs, the first `limit` of them (all when `limit` is 0), as
    /// Node drops the lines past `maxHeadersCount`.
    static func lines(_ headers: HTTPHeaders, limit: Int) -> ArraySlice<(String, String)> {
        var pairs: [(String, String)] = []
        pairs.reserveCapacity(limit > 0 ? min(limit, headers.count) : headers.count)
        for (name, value) in headers {
            if limit > 0 && pairs.count == limit { break }
            pairs.append((name, value))
        }
        return pairs[...]
    }

    /// Each name's values are gathered first and joined once at the end: joining as each copy
    /// arrives would copy the whole value so far every time, quadratic in the number of copies.
    static func fold(_ pairs: ArraySlice<(String, String)>) -> (
        headers: [String: String], distinct: [String: [String]]
    ) {
        var distinct: [String: [String]] = [:]
        for (rawName, value) in pairs {
            distinct[rawName.lowercased(), default: []].append(value)
        }
        var headers: [String: String] = [:]
        headers.reserveCapacity(distinct.count)
        for (name, values) in distinct where name != "set-cookie" {
            headers[name] =
                values.count == 1 || firstWins.contains(name)
                ? values[0] : values.joined(separator: name == "cookie" ? "; " : ", ")
        }
        return (headers, distinct)
    }

    /// Whether `Expect` (its lines, as Node joins them) asks for `100 Continue`: Node's
    /// `/(?:^|\W)100-continue(?:$|\W)/i`, so `100-continue` among other expectations
    /// (`foo, 100-continue`) or with parameters (`100-continue;x=1`) counts, `x100-continue` not.
    static func asksToContinue(_ expect: [String]) -> Bool {
        let value = Array(expect.joined(separator: ", ").utf8)
        let wanted = Array("100-continue".utf8)
        // `\w`: an ASCII letter, digit or underscore.
        func isWordByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || HeaderValidation.isAlphanumeric(byte)
        }
        func lowered(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
        var start = 0
        while start + wanted.count <= value.count {
            let end = start + wanted.count
            if zip(value[start..<end], wanted).allSatisfy({ lowered($0) == $1 })
                && (start == 0 || !isWordByte(value[start - 1]))
                && (end == value.count || !isWordByte(value[end]))
            {
                return true
            }
            start += 1
        }
        return false
    }

    static func fold(_ pairs: [(String, String)]) -> (headers: [String: String], distinct: [String: [String]])
    {
        fold(pairs[...])
    }
}

/// A message head whose header values the parser handlers can put right (see
/// `HTTPHeaders.withTrimmedValues`).
protocol HeadWithHeaders {
    var headers: HTTPHeaders { get set }
}

extension HTTPRequestHead: HeadWithHeaders {}
extension HTTPResponseHead: HeadWithHeaders {}

extension HTTPPart where HeadT: HeadWithHeaders {
    /// The part with its head's or trailers' values as llhttp gives them to Node.
    var withTrimmedHeaderValues: Self {
        switch self {
        case .head(var head):
            head.headers = head.headers.withTrimmedValues
            return .head(head)
        case .end(let trailers?): return .end(trailers.withTrimmedValues)
        case .body, .end(nil): return self
        }
    }
}

extension HTTPHeaders {
    /// The headers without the spaces and tabs around each value, as llhttp hands them to Node
    /// (`X: a \t\r\n` is "a" in `headers` and `rawHeaders`). SwiftNIO's decoder keeps the ones at
    /// the end, and `Expect`, `Content-Length` and the WebSocket handshake would read them.
    /// Itself, uncopied, when no value has any, as almost always.
    var withTrimmedValues: HTTPHeaders {
        var untrimmed = false
        for (_, value) in self where value.utf8.first.isWhitespace || value.utf8.last.isWhitespace {
            untrimmed = true
            break
        }
        guard untrimmed else { return self }
        var trimmed = HTTPHeaders()
        trimmed.reserveCapacity(count)
        for (name, value) in self { trimmed.add(name: name, value: String(value[...].trimmingWhitespace())) }
        return trimmed
    }
}

extension UInt8? {
    /// A space or a tab: HTTP's optional whitespace.
    fileprivate var isWhitespace: Bool { self == UInt8(ascii: " ") || self == UInt8(ascii: "\t") }
}
