import NodeNet

/// §1.3 in motion: every server event and every connection event the book lists, each caused on
/// purpose and printed as it fires.
@NodeActor func walkThroughEvents(port: Int) async {
    let server = await listeningServer(port: port)
    guard let port = server.address()?.port else { return }
    await busyPort(port)
    await conversation(server, port: port)
    await backPressure(server, port: port)
    await peerReset(server, port: port)
    await idleTimeout(server, port: port)
    await closing(server)
}

/// Prints one labelled event line: `server listening`, `socket(client) data "pong"`.
@NodeActor private func show(_ who: String, _ event: String, _ detail: String = "") {
    print(detail.isEmpty ? "\(who) \(event)" : "\(who) \(event) \(detail)")
}

/// Waits until `start` calls the `done` function it is given.
@NodeActor private func scene(_ title: String, _ start: (@escaping @NodeActor () -> Void) -> Void) async {
    print("\n— \(title)")
    await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
        start { finished.resume() }
    }
}

@NodeActor private func listeningServer(port: Int) async -> Server {
    let server = net.createServer()
    await scene("listening: server.listen() bound a port") { done in
        // excerpt: listening
        server.on(.listening) {
            show("server", "listening", "port \(server.address()!.port)")
            done()
        }
        server.listen(port, "127.0.0.1")
        // end excerpt
    }
    return server
}

@NodeActor private func busyPort(_ port: Int) async {
    await scene("error: a second server on the same port") { done in
        // excerpt: busy-port
        let second = net.createServer()
        second.on(.error) { error in
            show("server", "error", error.code)
            done()
        }
        second.listen(port, "127.0.0.1")
        // end excerpt
    }
}

@NodeActor private func conversation(_ server: Server, port: Int) async {
    await scene("connection, connect, data, end, finish, close: one short conversation") { done in
        var closed = 0
        let bothClosed = {
            closed += 1
            if closed == 2 { done() }
        }
        let listener = server.on(.connection) { socket in
            show("server", "connection", "from \(socket.remoteAddress!):\(socket.remotePort!)")
            socket.on(.data) { data in
                show("socket(server-side)", "data", "\"\(data.toString())\"")
                socket.write("pong")
            }
            socket.on(.end) { show("socket(server-side)", "end") }
            socket.on(.finish) { show("socket(server-side)", "finish") }
            socket.on(.close) { hadError in
                show("socket(server-side)", "close", "hadError=\(hadError)")
                bothClosed()
            }
        }
        let client = net.connect(port)
        client.on(.connect) {
            show("socket(client)", "connect")
            client.write("ping")
        }
        client.on(.data) { data in
            show("socket(client)", "data", "\"\(data.toString())\"")
            client.end()
        }
        client.on(.end) { show("socket(client)", "end") }
        client.on(.finish) { show("socket(client)", "finish") }
        client.on(.close) { hadError in
            show("socket(client)", "close", "hadError=\(hadError)")
            server.off(listener)
            bothClosed()
        }
    }
}

@NodeActor private func backPressure(_ server: Server, port: Int) async {
    await scene("drain: write() returned false, then the buffer emptied") { done in
        let reader = net.connect(port)
        reader.pause()  // Take nothing for now: past 16 KiB unread, the kernel's buffers fill up.
        let listener = server.once(.connection) { socket in
            // excerpt: drain
            let chunk = Buffer.alloc(64 * 1024, fill: 0x61)
            var writes = 0
            var accepted = true
            // false alone can mean "over 16 KiB just now"; stop once bytes are really waiting.
            while accepted || socket.writableLength == 0 {
                writes += 1
                accepted = socket.write(chunk)
            }
            show(
                "socket(server-side)", "write() returned false",
                "after \(writes) writes, writableLength=\(socket.writableLength)")
            socket.once(.drain) {
                show("socket(server-side)", "drain", "writableLength=\(socket.writableLength)")
                socket.end()
            }
            reader.resume()  // The reader catches up; the writer's buffer empties.
            // end excerpt
        }
        reader.on(.data) { _ in }
        reader.on(.close) { _ in
            server.off(listener)
            done()
        }
    }
}

@NodeActor private func peerReset(_ server: Server, port: Int) async {
    await scene("error, close(hadError: true): the peer resets the connection") { done in
        let listener = server.once(.connection) { socket in socket.resetAndDestroy() }
        let client = net.connect(port)
        client.on(.data) { _ in }
        client.on(.error) { error in show("socket(client)", "error", error.code) }
        client.on(.close) { hadError in
            show("socket(client)", "close", "hadError=\(hadError)")
            server.off(listener)
            done()
        }
    }
}

@NodeActor private func idleTimeout(_ server: Server, port: Int) async {
    await scene("timeout: nothing sent or received for 200 ms") { done in
        let listener = server.once(.connection) { socket in socket.resume() }
        let client = net.connect(port)
        client.on(.data) { _ in }
        // excerpt: timeout
        client.setTimeout(200) {
            show("socket(client)", "timeout", "destroyed=\(client.destroyed)")
            client.end()
        }
        // end excerpt
        client.on(.close) { _ in
            server.off(listener)
            done()
        }
    }
}

@NodeActor private func closing(_ server: Server) async {
    await scene("close: server.close() and no connection left") { done in
        server.close()
        server.on(.close) {
            show("server", "close")
            done()
        }
    }
}
