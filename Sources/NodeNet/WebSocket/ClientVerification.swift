/// What a server's `verifyClient` is told about an upgrade request before it is answered (`ws`'s
/// `info`).
@NodeActor public struct VerifyClientInfo {
    /// The page's origin, from the `Origin` header a browser always sends (`http://host:port`);
    /// nil from clients that are not browsers. A browser sends the handshake, with its cookies,
    /// wherever a page asks it to: this is how a server tells its own pages from other sites'.
    public let origin: String?
    /// Whether the connection is TLS (`wss://`).
    public let secure: Bool
    /// The upgrade request itself: its path, its headers (`Cookie`, `Authorization`), its socket.
    public let req: IncomingMessage

    init(_ req: IncomingMessage) {
        origin = req.headers["origin"]
        secure = req.socket is TLSSocket
        self.req = req
    }
}

/// A server's answer to one upgrade request.
public enum UpgradeVerdict: Sendable, Equatable {
    /// Go on with the handshake.
    case accept
    /// Answer with `status` (401 by default, as in `ws`), `message` as the body (the status's
    /// reason phrase by default) and extra `headers`, and close the connection.
    case refuse(status: Int = 401, message: String? = nil, headers: [String: String] = [:])
}

/// Decides whether a server accepts an upgrade request, once it has passed the protocol's own
/// checks and before the `101` is sent (`ws`'s `verifyClient` option, in its two forms).
@NodeActor public enum ClientVerification {
    /// `verifyClient(info)`: true accepts, false refuses with `401 Unauthorized`.
    case sync(@NodeActor (VerifyClientInfo) -> Bool)
    /// The synchronous form with an answer of the program's choosing (a status, a message).
    case verdict(@NodeActor (VerifyClientInfo) -> UpgradeVerdict)
    /// `verifyClient(info, callback)`: the decision may take its time (a database, another
    /// server); call `done` once. The connection waits, unanswered, until then.
    case async(@NodeActor (VerifyClientInfo, _ done: @escaping @NodeActor (UpgradeVerdict) -> Void) -> Void)

    /// Asks, and hands the verdict to `done` (at once for the synchronous form).
    func verify(_ req: IncomingMessage, _ done: @escaping @NodeActor (UpgradeVerdict) -> Void) {
        let info = VerifyClientInfo(req)
        switch self {
        case .sync(let check): done(check(info) ? .accept : .refuse())
        case .verdict(let check): done(check(info))
        case .async(let check):
            var answered = false
            check(info) { verdict in
                // A second answer is ignored, as `ws` has no way to take one back either.
                guard !answered else { return }
                answered = true
                done(verdict)
            }
        }
    }
}
