// Mutant: counts the characters of each chunk decoded as text instead of its bytes.
import NodeNet

/// §1.3 (`end`): with `allowHalfOpen`, a server may still answer after the client has finished
/// sending (its FIN arrived: `end`).
///
/// Count every byte the client sends. When it ends its side, write "received N bytes" and then
/// end yours.
@NodeActor public func summarizeWhenClientEnds(_ socket: Socket) {
    var received = 0
    socket.on(.data) { data in received += data.toString().count }
    socket.on(.end) { socket.end("received \(received) bytes") }
}
