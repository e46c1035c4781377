import NodeNet

/// The book's §1.2 server: greets each connection, answers 你好 to every chunk of data, and
/// notes when a client ends the connection or the connection fails.
@NodeActor func startEchoServer(port: Int, host: String?) {
    // excerpt: server
    let server = net.createServer { socket in
        // A new connection.
        socket.on(.data) { _ in
            socket.write("你好")
        }
        socket.on(.end) {
            print("连接断开")
        }
        socket.on(.error) { error in
            print("连接出错: \(error.code)")
        }
        socket.write("欢迎光临《深入浅出node.js》")
    }

    server.listen(port, host) {
        print("正在监听\(server.address()!.port)端口")
    }
    // end excerpt
    // Like the book's, the server itself has no `error` listener: a busy port ends the program
    // with the error printed and exit code 1, as Node does.
}
