/// A certificate's SHA-256 fingerprint, as Node's `fingerprint256` writes it (`AB:CD:…`, 32 pairs)
/// and as a teacher reads it out: with or without colons, in either case, it is the same.
public struct CAFingerprint: Sendable, Equatable, CustomStringConvertible {
    /// The 64 hex digits, upper case, without colons.
    public let hex: String

    /// Reads a fingerprint; throws when it is not 32 bytes of hex.
    public init(parsing text: String) throws(ClassroomProblem) {
        let digits = text.uppercased().filter { $0 != ":" && $0 != " " }
        guard digits.count == 64, digits.allSatisfy(\.isHexDigit) else {
            throw ClassroomProblem(
                "`\(text)` is not a SHA-256 fingerprint: it has 32 pairs of hex digits, AB:CD:EF:…")
        }
        hex = digits
    }

    /// `AB:CD:…`, Node's form.
    public var description: String {
        stride(from: 0, to: hex.count, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return String(hex[start..<hex.index(start, offsetBy: 2)])
        }.joined(separator: ":")
    }
}
