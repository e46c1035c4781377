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

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }

    /// Whether this comma-separated header value holds `token`, in any case (`Keep-Alive, Upgrade`).
    func hasToken(_ token: String) -> Bool {
        split(separator: ",").contains { $0.trimmingWhitespace().caseInsensitiveEquals(token) }
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
