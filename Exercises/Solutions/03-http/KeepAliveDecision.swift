/// §3.3 (HTTP响应): one TCP connection can carry many requests, one after another (keep-alive).
///
/// Whether the client wants that depends on the version and on the `Connection` header, a list of
/// tokens such as `Keep-Alive, Upgrade`, in any case. HTTP/1.1 keeps alive unless the list holds
/// `close`; HTTP/1.0 closes unless it holds `keep-alive` (llhttp's `should_keep_alive`).
///
/// `version` is written as Node's `req.httpVersion` gives it: `"1.1"` or `"1.0"`, without `HTTP/`.
public func requestWantsKeepAlive(version: String, connection: String?) -> Bool {
    // Tokens hold no spaces, so cutting at commas and whitespace leaves exactly the tokens.
    let tokens = (connection ?? "").lowercased().split { ", \t".contains($0) }
    return version == "1.1" ? !tokens.contains("close") : tokens.contains("keep-alive")
}

/// What the server does with the connection around one response.
public enum KeepAlivePlan: Equatable, Sendable {
    /// Answer with `Connection: keep-alive` and `Keep-Alive: <header>`, and keep reading requests.
    case keepAlive(header: String)
    /// Answer with `Connection: close`.
    case close
    /// Do not run the handler: answer `503 Service Unavailable` with `Connection: close`.
    case reject503
}

/// One connection's requests, counted against the server's `maxRequestsPerSocket`.
///
/// Node 20, for a request whose response has a known length:
/// - Without a limit (0), a request that wants keep-alive gets `.keepAlive(header: "timeout=5")`
///   (the server's 5-second `keepAliveTimeout`); one that does not, `.close`.
/// - With a limit, the header announces it: `timeout=5, max=<limit>`, the same number each time.
///   Node counts HTTP/1.1 requests only. The request that reaches the limit gets `.close`. Every
///   request past it gets `.reject503`, even one that asked to close; the server does not close
///   the socket itself, so such requests can arrive.
/// - HTTP/1.0 requests are not counted, and so never reach the limit or get a 503.
public struct KeepAliveTracker {
    private let maxRequestsPerSocket: Int
    /// The HTTP/1.1 requests seen on this connection.
    private var count = 0

    /// A tracker for one new connection.
    public init(maxRequestsPerSocket: Int = 0) {
        self.maxRequestsPerSocket = maxRequestsPerSocket
    }

    /// The plan for the next request on this connection.
    public mutating func plan(version: String, connection: String?) -> KeepAlivePlan {
        let limited = maxRequestsPerSocket > 0
        var limitReached = false
        if limited && version == "1.1" {
            count += 1
            if count > maxRequestsPerSocket { return .reject503 }
            limitReached = count == maxRequestsPerSocket
        }
        guard requestWantsKeepAlive(version: version, connection: connection), !limitReached else {
            return .close
        }
        return .keepAlive(header: limited ? "timeout=5, max=\(maxRequestsPerSocket)" : "timeout=5")
    }
}
