#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `Date` header's format (RFC 9110's IMF-fixdate): `Wed, 25 Nov 2026 11:26:05 GMT`.
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// The current second's text, made once per second as Node's `utcDate()` does: every
    /// response carries it, and formatting it anew was a visible part of a response's cost.
    @NodeActor static func now() -> String {
        let second = time(nil)
        if let cached, cached.second == second { return cached.text }
        let text = format(second)
        cached = (second, text)
        return text
    }

    @NodeActor private static var cached: (second: time_t, text: String)?

    static func format(_ seconds: time_t) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
