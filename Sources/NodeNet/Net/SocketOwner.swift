/// The protocol layer a socket carries (an HTTP server's connection, or the WebSocket it was
/// upgraded to), told of the socket's `error`, `drain`, `end` and `close` before the program's
/// listeners, as Node's `http` and `ws` add theirs first; after those the program added before
/// the hand-over (``Socket/handOver(to:)``), as `ws` adds its own when it takes a socket over.
///
/// Kept outside the emitter, as net.Socket's own `end` handler is: an idle connection then
/// needs no listener list for them (four lists of 88 bytes each), and a program that counts
/// the socket's listeners sees only its own. The socket holds its owner until `close`, as it
/// would hold listeners that capture it.
@NodeActor protocol SocketOwner: AnyObject {
    /// The socket's `error`. With an owner, an error no listener takes is not uncaught: the owner
    /// reports it (an HTTP `clientError`, a WebSocket's `error`).
    func socketFailed(_ error: NodeError)
    /// The socket's `drain`: what was buffered went out.
    func socketDrained()
    /// The socket's `end`: the peer sent FIN.
    func socketEnded()
    /// The socket's `close`.
    func socketClosed()
}
