import NodeNet

/// §1.2: the book's server is one connection handler. Make it yours.
///
/// When a client connects, send it `greeting` at once. Then answer every chunk of data it sends
/// with `reply`.
@NodeActor public func handleBookConnection(_ socket: Socket, greeting: String, reply: String) {
    // Your code here: socket.write(…) and socket.on(.data) { … }
}
