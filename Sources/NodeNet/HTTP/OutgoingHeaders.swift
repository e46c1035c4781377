/// The headers of a message being written (`setHeader`, `getHeader`, `removeHeader`): looked up
/// without regard to case, written in the order they were first set, with the case they were set in.
struct OutgoingHeaders: Sendable {
    private var entries: [(name: String, values: [String])] = []

    subscript(name: String) -> [String]? {
        get { index(of: name).map { entries[$0].values } }
        set {
            switch (index(of: name), newValue) {
            case (let index?, let values?): entries[index] = (name, values)
            case (let index?, nil): entries.remove(at: index)
            case (nil, let values?): entries.append((name, values))
            case (nil, nil): break
            }
        }
    }

    /// Calls `body` with every header as it will be written, one name and value per line.
    func forEachLine(_ body: (_ name: String, _ value: String) -> Void) {
        for entry in entries {
            for value in entry.values { body(entry.name, value) }
        }
    }

    /// The lower-cased names, as `getHeaderNames()`.
    var names: [String] { entries.map { $0.name.lowercased() } }

    private func index(of name: String) -> Int? {
        entries.firstIndex { $0.name.caseInsensitiveEquals(name) }
    }
}

extension StringProtocol {
    /// Whether the two are equal but for ASCII letters' case, as HTTP compares header names and
    /// tokens (RFC 9110 §5.1): byte by byte, with no lower-cased copies and no Unicode case folding.
    func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool {
        // Lengths first: most names compared are different words (a head's names against
        // `connection`, `content-length`, …), and a native string knows its length.
        guard utf8.count == other.utf8.count else { return false }
        return withUTF8Bytes { mine in
            other.withUTF8Bytes { theirs in
                zip(mine, theirs).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
            }
        }
    }
}

private func asciiLowercased(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
}

extension String {
    /// Whether this comma-separated header value holds `token`, in any case (`Keep-Alive, Upgrade`).
    func hasToken(_ token: String) -> Bool {
        var rest = self[...]
        while true {
            let comma = rest.utf8.firstIndex(of: UInt8(ascii: ",")) ?? rest.endIndex
            if rest[..<comma].trimmingWhitespace().caseInsensitiveEquals(token) { return true }
            guard comma < rest.endIndex else { return false }
            rest = rest[rest.utf8.index(after: comma)...]
        }
    }
}

extension Substring {
    /// Without HTTP's optional whitespace (spaces and tabs) at either end.
    func trimmingWhitespace() -> Substring {
        let isWhitespace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = utf8.firstIndex(where: { !isWhitespace($0) }),
            let last = utf8.lastIndex(where: { !isWhitespace($0) })
        else { return self[endIndex...] }
        return self[first...last]
    }
}
