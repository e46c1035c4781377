import NodeNet

/// §2.1: the four events of a UDP socket, each caused on purpose and printed as it fires.
@NodeActor func walkThroughUDPEvents() async throws {
    let a = dgram.createSocket(.udp4)
    let b = dgram.createSocket(.udp4)
    let c = dgram.createSocket(.udp4)

    // excerpt: events
    await until { done in
        a.once(.listening) {
            print("event: listening")
            done()
        }
        try? a.bind(0, "127.0.0.1")
    }
    let port = a.address()!.port

    await until { done in
        a.once(.message) { message, rinfo in
            print("event: message \"\(message.toString())\" from \(rinfo.address) (\(rinfo.size) bytes)")
            done()
        }
        try? b.send("ping", port, "127.0.0.1")  // b is not bound: send binds it first.
    }

    await until { done in
        c.once(.error) { error in
            print("event: error \(error.code)")
            done()
        }
        try? c.bind(port, "127.0.0.1")  // Taken by a, and nobody asked for reuseAddr.
    }

    await until { done in
        a.once(.close) {
            print("event: close")
            done()
        }
        try? a.close()
    }
    do {
        try a.send("too late", port)
    } catch let error as NodeError {
        print("send after close: \(error.code)")
    }
    // end excerpt
    try b.close()
    try c.close()
}
