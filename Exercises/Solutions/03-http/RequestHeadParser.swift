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
    private let maxHeaderSize: Int
    /// Bytes of the line not yet complete (and, once the head is done, the body's first bytes).
    private var pending: [UInt8] = []
    /// Bytes of the head already cut into lines.
    private var used = 0
    /// URL + names + values so far, as Node counts them.
    private var counted = 0
    private var requestLine: (method: String, target: String, version: String)?
    private var rawHeaders: [(name: String, value: String)] = []
    private var head: ParsedRequestHead?
    private var failure: RequestHeadError?

    /// A parser for one request head.
    public init(maxHeaderSize: Int = 16384) {
        self.maxHeaderSize = maxHeaderSize
    }

    /// Takes the next chunk; returns the head once its blank line has arrived, else nil.
    public mutating func push(_ chunk: [UInt8]) throws(RequestHeadError) -> ParsedRequestHead? {
        if let failure { throw failure }
        if let head { return head }
        do {
            return try parse(chunk)
        } catch {
            // Like llhttp, a parser that failed stays failed.
            failure = error
            throw error
        }
    }

    private mutating func parse(_ chunk: [UInt8]) throws(RequestHeadError) -> ParsedRequestHead? {
        pending += chunk
        while let newline = pending.firstIndex(of: lf) {
            let line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            used += newline + 1
            if try take(line) {
                let parsed = finish()
                head = parsed
                return parsed
            }
        }
        // Count the unfinished line too: a head that never ends must still overflow.
        if counted + countable(unfinished: pending) >= maxHeaderSize { throw .headerOverflow }
        return nil
    }

    /// Handles one line (without its LF); true when it is the blank line that ends the head.
    private mutating func take(_ line: [UInt8]) throws(RequestHeadError) -> Bool {
        if requestLine == nil {
            requestLine = try parseRequestLine(line)
            return false
        }
        if line == [cr] { return true }
        // llhttp reads a bare LF where a header name should start as a bad name character.
        if line.isEmpty { throw .invalidHeaderToken }
        rawHeaders.append(try parseHeaderLine(line))
        return false
    }

    private mutating func parseRequestLine(
        _ line: [UInt8]
    ) throws(RequestHeadError) -> (method: String, target: String, version: String) {
        let endsWithCR = line.last == cr
        let text = endsWithCR ? line.dropLast() : line[...]
        let firstSpace = text.firstIndex(of: space)
        let method = text[..<(firstSpace ?? text.endIndex)]
        guard let firstSpace, !method.isEmpty, method.allSatisfy(isCapitalLetter) else {
            throw .invalidMethod
        }
        let rest = text[(firstSpace + 1)...]
        let secondSpace = rest.firstIndex(of: space)
        let target = rest[..<(secondSpace ?? rest.endIndex)]
        try count(target.count)
        guard isValidTarget(target, forConnect: method.elementsEqual("CONNECT".utf8)) else {
            throw .invalidURL
        }
        guard let secondSpace else { throw .invalidVersion }
        let version = rest[(secondSpace + 1)...]
        guard version.elementsEqual("HTTP/1.1".utf8) || version.elementsEqual("HTTP/1.0".utf8) else {
            throw .invalidVersion
        }
        // llhttp reports a request line ending in a bare LF as a bad version.
        guard endsWithCR else { throw .invalidVersion }
        return (string(method), string(target), string(version.dropFirst(5)))
    }

    private mutating func parseHeaderLine(
        _ line: [UInt8]
    ) throws(RequestHeadError) -> (name: String, value: String) {
        let endsWithCR = line.last == cr
        let text = endsWithCR ? line.dropLast() : line[...]
        if let first = text.first, isBlank(first) {
            // Right after the request line llhttp has its own error for a space; later, a line
            // that starts with whitespace continues the previous value (obs-fold), which it refuses.
            if rawHeaders.isEmpty && first == space { throw .unexpectedSpace }
            throw .invalidHeaderToken
        }
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { throw .invalidHeaderToken }
        let name = text[..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else { throw .invalidHeaderToken }
        var value = text[(colon + 1)...].drop(while: isBlank)
        // Node counts the value with its trailing whitespace, as llhttp hands it over.
        try count(name.count + value.count)
        for byte in value {
            if byte == cr { throw .lfExpected }
            if !isValueByte(byte) { throw .invalidHeaderToken }
        }
        guard endsWithCR else { throw .crExpected }
        while let last = value.last, isBlank(last) { value = value.dropLast() }
        return (string(name), string(value))
    }

    private mutating func count(_ bytes: Int) throws(RequestHeadError) {
        counted += bytes
        if counted >= maxHeaderSize { throw .headerOverflow }
    }

    /// What Node has counted of a line that has not ended yet.
    private func countable(unfinished line: [UInt8]) -> Int {
        let text = line.last == cr ? line.dropLast() : line[...]
        if requestLine == nil {
            guard let firstSpace = text.firstIndex(of: space) else { return 0 }
            return text[(firstSpace + 1)...].prefix { $0 != space }.count
        }
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { return text.count }
        return (colon - text.startIndex) + text[(colon + 1)...].drop(while: isBlank).count
    }

    private func finish() -> ParsedRequestHead {
        var headers: [String: String] = [:]
        for (name, value) in rawHeaders {
            let key = name.lowercased()
            headers[key] = headers[key].map { "\($0), \(value)" } ?? value
        }
        let line = requestLine!
        return ParsedRequestHead(
            method: line.method, target: line.target, version: line.version, headers: headers,
            rawHeaders: rawHeaders, headLength: used)
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

private let cr = UInt8(ascii: "\r")
private let lf = UInt8(ascii: "\n")
private let space = UInt8(ascii: " ")

private func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == UInt8(ascii: "\t") }

private func isCapitalLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }

private func string(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

private func isVisible(_ byte: UInt8) -> Bool { (0x21...0x7E).contains(byte) }

/// RFC 9110's `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``.
private func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
    default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}

/// A tab, visible ASCII, a space, or any byte from 0x80 up (obs-text); not DEL or other controls.
private func isValueByte(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "\t") || byte == space || isVisible(byte) || byte >= 0x80
}

private func isValidTarget(_ target: ArraySlice<UInt8>, forConnect: Bool) -> Bool {
    guard !target.isEmpty, target.allSatisfy(isVisible) else { return false }
    if forConnect { return target.contains(UInt8(ascii: ":")) && !target.contains(UInt8(ascii: "/")) }
    return target.elementsEqual("*".utf8) || target.first == UInt8(ascii: "/")
}
