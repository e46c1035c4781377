#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An error as Node reports it: a `code` to branch on and a message to read.
///
/// System errors carry the errno name as their code (`ECONNREFUSED`, `EADDRINUSE`), the failing
/// `syscall` and, for sockets, the address; Node's own errors carry an `ERR_…` code.
public struct NodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `ECONNRESET`, `ERR_STREAM_WRITE_AFTER_END`, …
    public let code: String
    /// The message Node would print, e.g. `connect ECONNREFUSED 127.0.0.1:3000`.
    public let message: String
    /// The negated errno for system errors, as Node's `err.errno` (-111 for ECONNREFUSED).
    public let errno: Int32?
    /// The system call that failed, for system errors.
    public let syscall: String?

    /// An error with Node's `ERR_…` code and message.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
        errno = nil
        syscall = nil
    }

    /// A system error: `syscall` failed with `errno`; `detail` follows the code, as in
    /// `listen EADDRINUSE: address already in use :::3000` (a detail that starts with `": "`) or
    /// `connect ECONNREFUSED ::1:1` (any other, an IPv6 address's `::` included, after a space).
    public init(errno: Int32, syscall: String, detail: String? = nil) {
        let name = Self.errnoName(errno)
        code = name
        self.errno = -errno
        self.syscall = syscall
        message = "\(syscall) \(name)" + (detail.map { $0.hasPrefix(": ") ? $0 : " " + $0 } ?? "")
    }

    /// `Error: <message>` plus the code, the way Node prints an uncaught error's first lines.
    public var description: String { "Error: \(message) (code: '\(code)')" }

    /// Node's code for an errno value; the strerror text for ones Node names the same way.
    static func errnoName(_ value: Int32) -> String {
        let names: [Int32: Code] = [
            EACCES: .eacces, EADDRINUSE: .eaddrinuse, EADDRNOTAVAIL: .eaddrnotavail,
            ECONNABORTED: .econnaborted, ECONNREFUSED: .econnrefused, ECONNRESET: .econnreset,
            EHOSTUNREACH: .ehostunreach, EINVAL: .einval, EMSGSIZE: .emsgsize,
            ENETUNREACH: .enetunreach, ENOTCONN: .enotconn, EPIPE: .epipe, ETIMEDOUT: .etimedout,
            EBADF: .ebadf, EAFNOSUPPORT: .eafnosupport,
        ]
        return (names[value] ?? Code(rawValue: "E\(value)")).rawValue
    }

    /// libuv's text for an errno, e.g. "address already in use".
    static func explanation(_ value: Int32) -> String {
        String(cString: strerror(value)).lowercased()
    }
}

extension NodeError {
    /// Node's `ERR_OUT_OF_RANGE` for the argument or option `name`, which must be `range` (in
    /// Node's words, e.g. `>= 0 && <= 4294967296`).
    static func outOfRange(_ name: String, mustBe range: String, received: Int) -> NodeError {
        NodeError(
            code: .outOfRange,
            message:
                "The value of \"\(name)\" is out of range. It must be \(range). Received \(Self.asReceived(received))"
        )
    }

    /// An integer as Node's range errors print what they received: past 2³² in either direction,
    /// with `_` between groups of three digits (`4_294_967_297`).
    static func asReceived(_ value: Int) -> String {
        guard value.magnitude > 1 << 32 else { return String(value) }
        let digits = String(value.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while digits.distance(from: digits.startIndex, to: end) > 3 {
            let start = digits.index(end, offsetBy: -3)
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        groups.insert(digits[..<end], at: 0)
        return (value < 0 ? "-" : "") + groups.joined(separator: "_")
    }

    /// `write after end`: writing to a socket after calling `end()`.
    static let writeAfterEnd = NodeError(code: .streamWriteAfterEnd, message: "write after end")
    /// Writing to a socket after it was destroyed.
    static let writeAfterDestroy = NodeError(
        code: .streamDestroyed,
        message: "Cannot call write after a stream was destroyed"
    )
    /// `server.close()` on a server that is not listening.
    static let serverNotRunning = NodeError(code: .serverNotRunning, message: "Server is not running.")
    /// Writing to a socket whose peer ended it, with `allowHalfOpen` off (Node's EPIPE).
    static let endedByPeer = NodeError(
        code: .epipe, message: "This socket has been ended by the other party")
    /// A port outside what TCP and UDP can carry, in Node's words: `Port should be >= 0 and
    /// < 65536. Received type number (70000).` (`> 0` where 0 cannot mean "any", as for a
    /// datagram's destination). Nil for a port that is fine.
    static func badPort(_ port: Int, allowZero: Bool, name: String = "Port") -> NodeError? {
        guard !(allowZero ? 0..<65536 : 1..<65536).contains(port) else { return nil }
        let bound = allowZero ? ">=" : ">"
        return NodeError(
            code: .socketBadPort,
            message: "\(name) should be \(bound) 0 and < 65536. Received type number (\(port)).")
    }

    /// `listen()` on a server that is already listening.
    static let listenTwice = NodeError(
        code: .serverAlreadyListen,
        message: "Listen method has been called more than once without closing."
    )
}
