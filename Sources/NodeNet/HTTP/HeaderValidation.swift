/// Node's checks on every string a program hands to the HTTP layer that ends up in a message's
/// head: header names and values, the request's method and path, the status message. Each would
/// otherwise let a caller's CR LF forge headers or split one request into two.
enum HeaderValidation {
    static func problem(name: String, values: [String]) -> NodeError? {
        if !isToken(name) {
            return NodeError(
                code: .invalidHTTPToken,
                message: "Header name must be a valid HTTP token [\"\(name)\"]")
        }
        for value in values where !isValidValue(value) {
            return NodeError(
                code: .invalidChar, message: "Invalid character in header content [\"\(name)\"]")
        }
        return nil
    }

    /// Node's `http.request` checks: a method must be a token (`ERR_INVALID_HTTP_TOKEN`), and a
    /// path may hold only characters U+0021…U+00FF (`ERR_UNESCAPED_CHARACTERS`): no space, CR,
    /// LF or other control character that would end the request line early.
    static func problem(method: String, path: String) -> NodeError? {
        if !path.unicodeScalars.allSatisfy({ (0x21...0xFF).contains($0.value) }) {
            return NodeError(
                code: .unescapedCharacters, message: "Request path contains unescaped characters")
        }
        if !isToken(method) {
            return NodeError(
                code: .invalidHTTPToken, message: "Method must be a valid HTTP token [\"\(method)\"]")
        }
        return nil
    }

    /// `writeHead`'s reason phrase must not hold CR, LF or other control characters, as a header
    /// value must not (Node: `ERR_INVALID_CHAR`, "Invalid character in statusMessage").
    static func problem(statusMessage: String) -> NodeError? {
        guard !isValidValue(statusMessage) else { return nil }
        return NodeError(code: .invalidChar, message: "Invalid character in statusMessage")
    }

    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.withUTF8Bytes { $0.allSatisfy(isTokenByte) }
    }

    /// An ASCII letter or digit.
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: false
        }
    }

    /// RFC 9110's `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``. One switch, which the
    /// compiler makes a table of: every byte of every header name comes here.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"),
            UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// Node's `checkInvalidHeaderChar`: a tab, or a character from U+0020 to U+00FF but DEL.
    /// A character past U+00FF has no single byte to be written as.
    private static func isValidValue(_ value: String) -> Bool {
        // Byte by byte, in place, while the value is ASCII, as nearly every value is; from the
        // first byte past ASCII on, the characters themselves decide.
        value.withUTF8Bytes(verdictWhileASCII) ?? value.unicodeScalars.allSatisfy(isValidValueCharacter)
    }

    /// Whether every byte is a valid ASCII value byte; nil at the first byte past ASCII.
    private static func verdictWhileASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        for byte in bytes {
            if byte >= 0x80 { return nil }
            if byte != UInt8(ascii: "\t") && (byte < 0x20 || byte == 0x7F) { return false }
        }
        return true
    }

    private static func isValidValueCharacter(_ character: Unicode.Scalar) -> Bool {
        character == "\t" || ((0x20...0xFF).contains(character.value) && character != "\u{7F}")
    }
}
