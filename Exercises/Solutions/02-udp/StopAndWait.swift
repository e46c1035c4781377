import NodeNet

/// §2: UDP loses datagrams and never resends. Make delivery reliable yourself: stop and wait.
///
/// Send `messages` through `socket` to `port` on 127.0.0.1, one at a time, each as
/// "<number>:<text>" with numbers from 0. After each, wait for the datagram "ack:<number>". If it
/// has not come within `timeout` milliseconds, send the same datagram again. Go on to the next
/// message only once its ack has arrived; after the last ack, call `done`.
@NodeActor public func sendReliably(
    _ messages: [String],
    through socket: DatagramSocket,
    to port: Int,
    timeout: Int,
    done: @escaping @NodeActor () -> Void
) {
    var current = 0
    var retry: Timeout?
    @NodeActor func sendCurrent() {
        guard current < messages.count else {
            socket.removeAllListeners(.message)
            return done()
        }
        try? socket.send("\(current):\(messages[current])", port, "127.0.0.1")
        retry = setTimeout(timeout, sendCurrent)
    }
    socket.on(.message) { message, _ in
        // A late ack for an earlier message is ignored: only the current one moves us on.
        guard message.toString() == "ack:\(current)" else { return }
        clearTimeout(retry)
        current += 1
        sendCurrent()
    }
    sendCurrent()
}
