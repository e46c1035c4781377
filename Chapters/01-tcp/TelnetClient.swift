import NodeNet

/// The telnet of §1.2: what you type goes to the server, what the server sends is printed.
@NodeActor func runTelnetClient(port: Int, host: String) {
    // excerpt: client
    let socket = net.connect(port, host)
    socket.on(.data) { data in process.stdout.write(data) }
    socket.on(.close) { _ in process.stdin.unref() }

    process.stdin.on(.data) { line in socket.write(line) }
    process.stdin.on(.end) { socket.end() }
    // end excerpt
    socket.on(.connect) { print("已连接到 \(host):\(port)") }
    socket.on(.error) { error in
        print("连接失败: \(error.message)")
        process.exitCode = 1
    }
}
