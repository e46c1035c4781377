import NodeNet

/// §2 (send): a datagram is sent or it is not, and only the send's callback says which.
///
/// Send each of `messages`, as one datagram each, to `port` on `address`. Give every `send` a
/// callback: it gets an error (or nil) and the number of bytes sent. Once every callback has come,
/// call `done` once, with one line per message, in the order of `messages`: `sent <bytes> bytes`,
/// or the error's `code` (a datagram over 65507 bytes gets `EMSGSIZE`). With no messages, call
/// `done([])`.
///
/// A send with a callback reports its error there and nowhere else; without one, the error is the
/// socket's `error` event, which stops the program if nobody listens.
@NodeActor public func sendAndReport(
    _ socket: DatagramSocket, _ messages: [Buffer], to port: Int, _ address: String,
    done: @escaping @NodeActor ([String]) -> Void
) {
    // Your code here: try? socket.send(message, port, address) { error, bytes in … } for each.
}
