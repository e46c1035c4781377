import NodeNet

/// The book's §4 client in Swift: once open, every 50 ms, if nothing is still buffered, it sends
/// an update; it prints each echo. After `count` updates have come back it closes (0: never).
/// Without `url` it starts the updates server here first, so both sides print.
@NodeActor func runTheBooksClient(url: String?, count: Int) async {
    var server: HTTPServer?
    var target = url ?? ""
    if url == nil {
        let port = await until { done in
            server = startUpdatesServer(port: 0, host: "127.0.0.1", onListening: done)
        }
        target = "ws://127.0.0.1:\(port)/updates"
    }
    await until { done in
        // excerpt: client
        let socket = WebSocket(target, protocols: ["chat", "superchat"])
        var sent = 0
        var echoed = 0
        var timer: Timeout?

        func getUpdateData() -> String {
            sent += 1
            return #"{"update":\#(sent)}"#
        }

        socket.onopen = {
            print("client: open, subprotocol: \(socket.protocol.isEmpty ? "none" : socket.protocol)")
            timer = setInterval(50) {
                if count > 0 && sent == count { return }
                // Only when the last update has left: a slow network is never flooded.
                if socket.bufferedAmount == 0 {
                    socket.send(getUpdateData())
                }
            }
        }
        socket.onmessage = { event in
            echoed += 1
            print("client: echoed: \(event.data.text ?? "\(event.data.bytes.count) bytes")")
            if count > 0 && echoed == count { try? socket.close(1000, "done") }
        }
        socket.onclose = { event in
            clearInterval(timer)
            print("client: closed: \(event.code) \(event.reason)")
            done()
        }
        // end excerpt
        socket.onerror = { error in print("client: error: \(error.message)") }
    }
    if let server { await until { done in server.close { _ in done() } } }
}
