/// Keeps connections to servers for reuse, and limits how many are open at once (Node's
/// `http.Agent`).
///
/// A request goes to a free kept-alive connection to its host if there is one, to a new
/// connection if fewer than `maxSockets` are busy, or else waits in line. A kept connection does
/// not keep the program alive, and is closed after `timeout` ms unused.
@NodeActor public final class Agent {
    /// Whether connections are kept for later requests (`Connection: keep-alive`).
    public let keepAlive: Bool
    /// The most busy connections per host.
    public let maxSockets: Int
    /// The most idle connections kept per host.
    public let maxFreeSockets: Int
    /// How long (ms) an idle kept connection stays open; nil: until the server closes it.
    public let timeout: Int?

    private var busy: [String: [ClientConnection]] = [:]
    private var idle: [String: [ClientConnection]] = [:]
    private var waiting: [String: [ClientRequest]] = [:]
    private var names = AgentNames()

    /// An agent with Node's defaults for `new http.Agent()` (no keep-alive).
    public init(
        keepAlive: Bool = false, maxSockets: Int = .max, maxFreeSockets: Int = 256, timeout: Int? = nil
    ) {
        self.keepAlive = keepAlive
        self.maxSockets = maxSockets
        self.maxFreeSockets = maxFreeSockets
        self.timeout = timeout
    }

    /// `http.globalAgent` in Node 20: keep-alive, idle connections closed after 5 s.
    public static let global = Agent(keepAlive: true, timeout: 5000)

    /// `https.globalAgent`: the same, for TLS connections.
    public static let globalHTTPS = Agent(keepAlive: true, timeout: 5000)

    /// Busy connections per `host:port:` (followed, for TLS, by a digest of the trust settings).
    public var sockets: [String: Int] { busy.mapValues(\.count).filter { $0.value > 0 } }
    /// Idle kept connections per `host:port:`.
    public var freeSockets: [String: Int] { idle.mapValues(\.count).filter { $0.value > 0 } }
    /// Requests waiting for a connection per `host:port:`.
    public var requests: [String: Int] { waiting.mapValues(\.count).filter { $0.value > 0 } }

    func addRequest(_ request: ClientRequest) {
        // Destroyed while it waited: Node's `onSocket` sends nothing for it either.
        guard !request.isDone else { return }
        // TLS connections are kept apart from plain ones, and by their trust settings.
        let key = names.name(host: request.host, port: request.port, tls: request.tls)
        if let connection = idle[key]?.popLast() {
            connection.socket.ref()
            connection.socket.setTimeout(0)
            busy[key, default: []].append(connection)
            connection.assign(request)
        } else if busy[key, default: []].count < maxSockets {
            open(key, for: request).assign(request)
        } else {
            waiting[key, default: []].append(request)
        }
    }

    /// A new connection to `request`'s server, counted as busy from now on.
    private func open(_ key: String, for request: ClientRequest) -> ClientConnection {
        let socket =
            request.tls.map { tls.connect(request.port, request.host, $0) }
            ?? net.connect(request.port, request.host)
        let connection = ClientConnection(socket: socket, key: key, agent: self)
        socket.on(.connect) { connection.connected() }
        busy[key, default: []].append(connection)
        return connection
    }

    /// A connection finished its request and may carry another.
    func free(_ connection: ClientConnection) {
        let key = connection.key
        busy[key]?.removeAll(identicalTo: connection)
        if let next = takeWaiting(for: key) {
            busy[key, default: []].append(connection)
            // On the next turn, as Node's `onSocket` does it: the finished request's `close` and
            // its response's `end` come before the next request's `socket`.
            afterIOBatch {
                // The server closed the kept connection meanwhile: "socket hang up", as in Node
                // (no retry on a fresh connection).
                guard !connection.socket.destroyed else { return next.failed(.socketHangUp) }
                guard !next.isDone else { return self.free(connection) }
                connection.assign(next)
            }
            return
        }
        guard idle[key, default: []].count < maxFreeSockets else {
            connection.socket.end()
            return
        }
        idle[key, default: []].append(connection)
        connection.socket.unref()
        // An idle kept connection that times out is closed (see ClientConnection).
        if let timeout { connection.socket.setTimeout(timeout) }
    }

    /// A connection closed or was handed over: it is no longer the agent's.
    func forget(_ connection: ClientConnection) {
        let key = connection.key
        busy[key]?.removeAll(identicalTo: connection)
        idle[key]?.removeAll(identicalTo: connection)
        // A closed connection makes room for a waiting request: its connection opens now, and
        // it gets it on the next turn, after the closed socket's own `close` listeners (Node's
        // `createSocket`, then `onSocket`).
        if busy[key, default: []].count < maxSockets, let next = takeWaiting(for: key) {
            let connection = open(key, for: next)
            afterIOBatch {
                guard !next.isDone else { return self.free(connection) }
                connection.assign(next)
            }
        }
    }

    /// The first request waiting for a connection to `key` that has not been destroyed meanwhile.
    private func takeWaiting(for key: String) -> ClientRequest? {
        while let next = waiting[key]?.first {
            waiting[key]?.removeFirst()
            if !next.isDone { return next }
        }
        return nil
    }

    /// Closes every connection, busy or idle.
    public func destroy() {
        for connection in (busy.values.flatMap { $0 } + idle.values.flatMap { $0 }) {
            connection.socket.destroy()
        }
    }
}
