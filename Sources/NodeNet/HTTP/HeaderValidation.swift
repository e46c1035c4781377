/// Node's checks on header names and values set by a program: a name must be an HTTP token, and
/// a value must not hold CR, LF or other control characters (which would let it forge headers).
enum HeaderValidation {
    static func problem(name: String, values: [String]) -> NodeError? {
        if name.isEmpty || !name.utf8.allSatisfy(isTokenByte) {
            return NodeError(
                code: "ERR_INVALID_HTTP_TOKEN",
                message: "Header name must be a valid HTTP token [\"\(name)\"]")
        }
        for value in values where !value.utf8.allSatisfy(isValueByte) {
            return NodeError(
                code: "ERR_INVALID_CHAR", message: "Invalid character in header content [\"\(name)\"]")
        }
        return nil
    }

    /// RFC 9110's `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    private static func isValueByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte != 0x7F)
    }
}
