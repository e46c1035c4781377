import NodeNet

/// §1.3 (timeout): an echo server that says goodbye to clients that went quiet.
///
/// Echo every chunk the client sends straight back. When `idleMilliseconds` pass with nothing read
/// or written on the connection, write `idle, bye\n` and end the connection (the client then gets
/// its `end`). Every chunk read or written starts the quiet period over, so a client that keeps
/// talking is never sent away.
///
/// `socket.setTimeout(ms)` measures exactly that quiet period, but in Node it only warns: the
/// `timeout` event fires and the socket stays open. Closing it is your job. A chunk the client sent
/// just before it got the goodbye can still arrive after `end()`: do not echo it (writing after
/// `end()` is an error, and an `error` nobody listens for ends a Node program).
@NodeActor public func echoUntilIdle(_ socket: Socket, idleMilliseconds: Int) {
    // Your code here: socket.on(.data) { … } and socket.setTimeout(idleMilliseconds) { … }
}
