import NodeNet

/// §2: a UDP server has no connections, only messages, each with its sender.
///
/// Send every datagram `socket` receives back to whoever sent it, unchanged.
@NodeActor public func echoDatagrams(on socket: DatagramSocket) {
    // Your code here: socket.on(.message) { message, rinfo in … }
}
