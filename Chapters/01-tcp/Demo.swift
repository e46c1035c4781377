import NodeNet

/// The §1.2 session without telnet: starts the book's server on a free port, connects, says
/// hello twice, hangs up, and stops the server.
@NodeActor func converseWithEchoServer() async {
    let server = net.createServer { socket in
        socket.on(.data) { _ in socket.write("你好") }
        socket.on(.end) { print("server: 连接断开") }
        socket.write("欢迎光临《深入浅出node.js》")
    }
    await withCheckedContinuation { (listening: CheckedContinuation<Void, Never>) in
        server.listen(0, "127.0.0.1") {
            print("server: 正在监听\(server.address()!.port)端口")
            listening.resume()
        }
    }
    await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
        let client = net.connect(server.address()!.port)
        var replies = 0
        client.on(.data) { data in
            print("client received: \(data.toString())")
            replies += 1
            switch replies {
            case 1: client.write("hello")
            case 2: client.write("hello again")
            default: client.end()
            }
        }
        client.on(.close) { _ in
            server.close()
            finished.resume()
        }
    }
}
