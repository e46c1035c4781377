// Mutant: sends every echo to 127.0.0.1 instead of the address the datagram came from.
import NodeNet

/// §2: a UDP server has no connections, only messages, each with its sender.
///
/// Send every datagram `socket` receives back to whoever sent it, unchanged.
@NodeActor public func echoDatagrams(on socket: DatagramSocket) {
    socket.on(.message) { message, rinfo in
        try? socket.send(message, rinfo.port, "127.0.0.1")
    }
}
