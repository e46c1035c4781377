// Mutant: counts per port only, so two machines whose programs use the same port share a count.
import NodeNet

/// §2 (one socket, many peers): a UDP server keeps what TCP keeps per connection itself, keyed by
/// who sent each datagram.
///
/// Answer every datagram `socket` receives, to its sender, with the number of datagrams that
/// sender has sent so far, as text: `1` for its first, `2` for its second, and so on. A sender is
/// an address *and* a port: two programs on one machine are two senders, and so are two machines
/// whose programs happen to use the same port.
///
/// TCP gives each client a socket of its own to keep state in; a UDP server has one socket for
/// everybody, and only `rinfo` tells the peers apart.
@NodeActor public func countPerPeer(on socket: DatagramSocket) {
    var counts: [String: Int] = [:]
    socket.on(.message) { _, rinfo in
        let peer = "\(rinfo.port)"
        counts[peer, default: 0] += 1
        try? socket.send("\(counts[peer]!)", rinfo.port, rinfo.address)
    }
}
