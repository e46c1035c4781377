@_spi(Testing) import NodeNet

#if canImport(Glibc)
    import Glibc
#endif

// When the loop counts as idle (`Quiescence`, on only with NODENET_QUIET_WAITS set): each scenario
// prints what happened, in order, and exits. "idle" is the watch's verdict; "deadline" means the
// watch never called it.

/// A connected pair on loopback: `onServerData` sees what the server side reads.
@NodeActor func connectedPair(
    onServerData: @escaping @NodeActor (Socket, Buffer) -> Void = { _, _ in },
    _ ready: @escaping @NodeActor (Socket) -> Void
) {
    let server = net.createServer { socket in socket.on(.data) { onServerData(socket, $0) } }
    server.listen(0, "127.0.0.1") {
        let client = net.connect(server.address()!.port, "127.0.0.1")
        client.on(.connect) { ready(client) }
    }
}

/// Watches for idleness within `horizon` ms; prints "deadline" and exits if it has not come by
/// `deadline` ms, which as a wait's deadline does not count as work.
@NodeActor func watch(within horizon: Int, deadline: Int = 9000) {
    _ = Quiescence.deadline(deadline) {
        print("deadline")
        process.exit(0)
    }
    _ = Quiescence.whenIdle(within: horizon) {
        print("idle")
        process.exit(0)
    }
}

/// A listening socket whose accept queue is full and never drained: a connect to it waits on
/// SYNs the kernel drops.
func fullListener() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            _ = bind(fd, pointer, length)
            _ = listen(fd, 0)
            _ = getsockname(fd, pointer, &length)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

@NodeActor func runQuietScenario(_ name: String) {
    switch name {
    case "quiet-nothing-pending":
        // Connected, and nobody writes: idle, although the wait's own deadline is due first.
        connectedPair { _ in watch(within: 10_000) }
    case "quiet-timer-pending":
        // A timer due within the horizon writes; the server reads it; only then is it idle.
        connectedPair(onServerData: { _, data in print("server read \(data.toString())") }) { client in
            setTimeout(300) { client.write("late") }
            watch(within: 10_000)
        }
    case "quiet-socket-timeout":
        // `socket.setTimeout` is a timer too.
        connectedPair { client in
            client.setTimeout(300) { print("socket timeout") }
            watch(within: 10_000)
        }
    case "quiet-timer-past-the-horizon":
        // A timer due after the wait's horizon cannot help it.
        setTimeout(60_000) { print("never") }
        watch(within: 2000)
    case "quiet-ping-pong":
        // Bytes going back and forth with no timer, for 400 ms by the clock (however slowly a
        // loaded machine plays them): busy until the last round.
        let end = ContinuousClock.now + .milliseconds(400)
        connectedPair(onServerData: { socket, data in socket.write(data) }) { client in
            client.on(.data) { _ in
                if ContinuousClock.now < end { client.write("x") } else { print("ping-pong done") }
            }
            client.write("x")
            watch(within: 10_000)
        }
    case "quiet-connecting":
        // Connections the kernel leaves hanging: never idle while they are being made.
        let port = fullListener()
        for _ in 1...4 {
            net.connect(port, "127.0.0.1").on(.error) { _ in }
        }
        watch(within: 10_000, deadline: 1500)
    default:
        print("unknown scenario \(name)")
    }
}
