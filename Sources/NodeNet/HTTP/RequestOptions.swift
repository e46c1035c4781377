/// The options of `http.request`, with Node 20's defaults.
public struct RequestOptions: Sendable {
    /// The server's host name or address.
    public var host = "localhost"
    /// The server's port.
    public var port = 80
    /// The request method.
    public var method = "GET"
    /// The request target: path and query (`host:port` for CONNECT).
    public var path = "/"
    /// Headers to send, in this order (`Host` is added unless given).
    public var headers: [(String, String)] = []
    /// The agent that finds a connection: ``Agent/global`` (keep-alive) by default; nil sends the
    /// request on a connection of its own, closed after (Node's `agent: false`).
    public var agent: Agent?
    /// Emit `timeout` after this many ms of silence on the connection.
    public var timeout: Int?
    /// How many header lines of the response are kept; the rest are dropped (0: all). Node:
    /// `maxHeadersCount`, which left unset keeps 1000.
    public var maxHeadersCount = IncomingHeaders.defaultMaxCount
    /// The most bytes a header line of the response, or all of them together, may take: a server
    /// that sends more fails the request with `HPE_HEADER_OVERFLOW` ("Parse Error: Header
    /// overflow") and its connection is destroyed. Node: `maxHeaderSize`, 16384.
    public var maxHeaderSize = RequestOptions.defaultMaxHeaderSize
    /// Node's `http.maxHeaderSize`.
    public static let defaultMaxHeaderSize = 16384
    /// TLS for this request (`https`): the CAs to trust, a client certificate, and so on.
    /// nil: plain HTTP.
    public var tls: TLSOptions?

    /// Options changed by name: `RequestOptions(port: 1337, method: "POST", path: "/upload")`.
    @NodeActor
    public init(
        host: String = "localhost",
        port: Int = 80,
        method: String = "GET",
        path: String = "/",
        headers: [(String, String)] = [],
        agent: Agent? = .global,
        timeout: Int? = nil
    ) {
        self.host = host
        self.port = port
        self.method = method
        self.path = path
        self.headers = headers
        self.agent = agent
        self.timeout = timeout
    }

    /// The options an `http://host:port/path` (or `https://`) URL gives; nil if it is not such
    /// a URL.
    @NodeActor
    public init?(url: String) {
        let secure = url.hasPrefix("https://")
        guard url.hasPrefix("http://") || secure else { return nil }
        let rest = url.dropFirst(secure ? "https://".count : "http://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        var path = String(rest.dropFirst(authority.count))
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        var host = String(authority)
        var port = secure ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = number
            host = String(authority[..<colon])
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port, path: path, agent: secure ? .globalHTTPS : .global)
        if secure { tls = TLSOptions() }
    }

    /// These options aimed at `url`'s host, port and path. A URL that cannot be read, or whose
    /// scheme is not the module's (`https://` given to `http`), leaves the host empty, which
    /// the request reports as `ERR_INVALID_URL`.
    @NodeActor
    func merging(url: String, secure: Bool) -> RequestOptions {
        var merged = self
        guard let target = RequestOptions(url: url), (target.tls != nil) == secure else {
            merged.host = ""
            return merged
        }
        (merged.host, merged.port, merged.path) = (target.host, target.port, target.path)
        if secure {
            if merged.tls == nil { merged.tls = TLSOptions() }
            if merged.agent === Agent.global { merged.agent = .globalHTTPS }
        }
        return merged
    }
}
