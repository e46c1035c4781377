import Foundation

/// The teacher's server, as `kata join` is given it: `https://HOST:PORT`, nothing more.
public struct ClassroomAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address (an IPv6 address without its brackets).
    public let host: String
    /// The port (443 when the address names none).
    public let port: Int

    /// Reads `text`; throws a message a student can act on when it is not an `https://` address
    /// with at most a `/` after the host and port.
    public init(parsing text: String) throws(ClassroomProblem) {
        let example = "it should look like https://192.168.1.20:8443 (the teacher's screen shows it)"
        guard let url = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
            let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else { throw ClassroomProblem("`\(text)` is not an address: \(example)") }
        guard scheme == "https" else {
            throw ClassroomProblem(
                "`\(text)` is not an https:// address: the classroom speaks only TLS, so \(example)")
        }
        guard url.user == nil, url.password == nil, url.query == nil, url.fragment == nil,
            url.path.isEmpty || url.path == "/"
        else { throw ClassroomProblem("`\(text)` has more than a host and a port: \(example)") }
        let port = url.port ?? 443
        guard (1...65535).contains(port) else {
            throw ClassroomProblem("`\(text)` has no valid port: \(example)")
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = port
    }

    /// `https://HOST:PORT`, with an IPv6 address in brackets.
    public var description: String {
        "https://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}

/// A problem with the classroom, in words a student can act on.
public struct ClassroomProblem: Error, Equatable, CustomStringConvertible {
    /// What went wrong, and what to do.
    public let description: String

    /// A problem saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
