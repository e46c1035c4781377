import NodeNet

/// Sends one datagram and prints the first answer; gives up after 2 s, because UDP never retries.
@NodeActor func sendAndWaitForReply(host: String, port: Int, message: String) throws {
    // excerpt: client
    let client = dgram.createSocket(.udp4)
    try client.send(message, port, host)  // throws for a port no datagram can go to, as in Node
    let giveUp = setTimeout(2000) {
        print("no reply within 2000 ms (UDP does not retry)")
        process.exitCode = 1
        try? client.close()
    }
    client.once(.message) { reply, _ in
        print("client got: \(reply.toString())")
        clearTimeout(giveUp)
        try? client.close()
    }
    // end excerpt
}
