import NodeNet

/// §1.3 (`end`): with `allowHalfOpen`, a server may still answer after the client has finished
/// sending (its FIN arrived: `end`).
///
/// Count every byte the client sends. When it ends its side, write "received N bytes" and then
/// end yours.
@NodeActor public func summarizeWhenClientEnds(_ socket: Socket) {
    // Your code here: socket.on(.data) { … }, socket.on(.end) { … }
}
