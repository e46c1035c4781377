import NodeNet

/// One socket, three peers: UDP has no connections, so a single socket can talk to anyone.
@NodeActor func talkToThreePeers() async throws {
    let hub = dgram.createSocket(.udp4)
    try hub.bind(0, "127.0.0.1")
    var peers: [DatagramSocket] = []
    for number in 1...3 {
        let peer = dgram.createSocket(.udp4)
        peer.on(.message) { _, rinfo in try? peer.send("peer \(number) here", rinfo.port, rinfo.address) }
        await until { done in try? peer.bind(0, "127.0.0.1", done) }
        peers.append(peer)
    }
    // excerpt: peers
    var replies: [(number: Int, line: String)] = []
    await until { done in
        hub.on(.message) { message, rinfo in
            let text = message.toString()
            replies.append(
                (
                    Int(text.split(separator: " ")[1])!,
                    "hub got \"\(text)\" from \(rinfo.address):\(rinfo.port)"
                ))
            if replies.count == 3 { done() }
        }
        for (index, peer) in peers.enumerated() {
            try? hub.send("hello peer \(index + 1)", peer.address()!.port, "127.0.0.1")
        }
    }
    // end excerpt
    for reply in replies.sorted(by: { $0.number < $1.number }) { print(reply.line) }
    print("one socket, 3 peers, no connections")
    try hub.close()
    for peer in peers { try peer.close() }
}
