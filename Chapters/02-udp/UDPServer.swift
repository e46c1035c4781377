import NodeNet

/// §2: a UDP server. No connection, no stream: each `message` is one datagram, with its sender.
@NodeActor func startUDPServer(port: Int, host: String) throws {
    // excerpt: server
    let server = dgram.createSocket(.udp4)

    server.on(.message) { message, rinfo in
        print("server got: \(message.toString()) from \(rinfo.address):\(rinfo.port) (\(rinfo.size) bytes)")
        try? server.send("你好, \(message.toString())", rinfo.port, rinfo.address)
    }
    server.on(.listening) {
        let address = server.address()!
        print("server listening \(address.address):\(address.port)")
    }
    server.on(.error) { error in
        print("server error: \(error.message)")
        try? server.close()
    }

    try server.bind(port, host)
    // end excerpt
}
