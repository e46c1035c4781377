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

    static func fold(_ pairs: [(String, String)]) -> (headers: [String: String], distinct: [String: [String]])
    {
        var headers: [String: String] = [:]
        var distinct: [String: [String]] = [:]
        for (rawName, value) in pairs {
            let name = rawName.lowercased()
            distinct[name, default: []].append(value)
            guard name != "set-cookie" else { continue }
            if let existing = headers[name] {
                if firstWins.contains(name) { continue }
                headers[name] = existing + (name == "cookie" ? "; " : ", ") + value
            } else {
                headers[name] = value
            }
        }
        return (headers, distinct)
    }
}
