import NodeNet

/// §3.2 and §3.3 on the wire: raw requests, written byte for byte, that make the server fire each
/// of its events. The server's lines and the client's interleave in the order things happen.
@NodeActor func fireEveryEvent() async {
    let echo = net.createServer { socket in socket.on(.data) { socket.write($0) } }
    await until { done in echo.listen(0, "127.0.0.1", done) }
    let echoPort = echo.address()!.port
    var port = 0
    let server = startEventsServer(port: 0, host: "127.0.0.1") { port = $0 }
    await until { done in server.once(.listening, done) }
    // Each scenario ends when both ends have closed, so the lines come in a fixed order.
    let serverSide = ServerSideCloses()
    server.on(.connection) { socket in socket.on(.close) { _ in serverSide.closed() } }
    let get = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"

    await serverSide.scenario(
        "keep-alive: two requests, one connection", port, [get, get], finished: { $0.count("hello") == 2 })
    await serverSide.scenario(
        "HTTP/1.0: the connection closes after the answer", port, ["GET / HTTP/1.0\r\n\r\n"])
    await serverSide.scenario(
        "Expect: 100-continue, accepted", port,
        [
            "POST /upload HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
            "hello",
        ],
        waitBetween: { $0.contains("100 Continue") }, finished: { $0.contains("received 5 bytes") })
    await serverSide.scenario(
        "Expect: 100-continue, refused", port,
        ["POST /upload HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 4096\r\n\r\n"])
    await serverSide.scenario(
        "Expect: something else", port, ["GET / HTTP/1.1\r\nHost: localhost\r\nExpect: magic\r\n\r\n"],
        finished: { $0.hasSuffix("0\r\n\r\n") })
    await serverSide.scenario(
        "CONNECT: a tunnel to an echo server", port,
        [
            "CONNECT 127.0.0.1:\(echoPort) HTTP/1.1\r\nHost: 127.0.0.1:\(echoPort)\r\n\r\n",
            "ping through the tunnel",
        ],
        waitBetween: { $0.contains("200 Connection Established") },
        finished: { $0.hasSuffix("ping through the tunnel") })
    await serverSide.scenario(
        "Upgrade: echo", port,
        [
            "GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n",
            "hello, raw bytes",
        ],
        waitBetween: { $0.contains("101 Switching") }, finished: { $0.hasSuffix("hello, raw bytes") })
    await serverSide.scenario("a malformed request", port, ["FOO / HTTP/1.1\r\nHost: localhost\r\n\r\n"])
    await serverSide.scenario(
        "an oversized header", port,
        ["GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: \(String(repeating: "a", count: 17000))\r\n\r\n"])

    await until { done in server.close { _ in done() } }
    echo.close()
}

/// Sends `messages` on a new connection (waiting for `waitBetween` after each but the last),
/// prints the first line of each message and of what came back, and stops when `finished` is
/// true of the reply or the server closes.
@NodeActor final class ServerSideCloses {
    private var onClose: (@NodeActor () -> Void)?

    func closed() { onClose?() }

    func scenario(
        _ title: String,
        _ port: Int,
        _ messages: [String],
        waitBetween: @escaping @NodeActor (String) -> Bool = { _ in true },
        finished: @escaping @NodeActor (String) -> Bool = { _ in false }
    ) async {
        print("\n== \(title) ==")
        await until { done in
            let bothEnds = Countdown(2, then: done)
            onClose = bothEnds.tick
            let socket = net.connect(port)
            var reply = ""
            var next = 0
            @NodeActor func sendNext() {
                let message = messages[next]
                next += 1
                print("client sends: \(firstLine(of: message))")
                socket.write(message)
            }
            socket.on(.data) { chunk in
                let before = reply
                reply += chunk.toString()
                for line in reply.dropFirst(before.count).split(separator: "\r\n")
                where line.hasPrefix("HTTP/1.") {
                    print("client got:   \(line)")
                }
                if next < messages.count && waitBetween(reply) {
                    sendNext()
                } else if next == messages.count && finished(reply) {
                    let tail =
                        reply.split(whereSeparator: \.isNewline).last.map { String($0.suffix(40)) } ?? ""
                    print("client got:   …\(tail)")
                    socket.end()
                }
            }
            socket.on(.error) { _ in }
            socket.on(.close) { _ in
                print("client: connection closed")
                bothEnds.tick()
            }
            sendNext()
        }
    }
}

/// Calls `then` once `tick` has been called `count` times.
@NodeActor final class Countdown {
    private var left: Int
    private let then: @NodeActor () -> Void

    init(_ count: Int, then: @escaping @NodeActor () -> Void) {
        left = count
        self.then = then
    }

    func tick() {
        left -= 1
        if left == 0 { then() }
    }
}

func firstLine(of message: String) -> String {
    let line = message.split(separator: "\r\n").first.map(String.init) ?? message
    return line.count > 60 ? String(line.prefix(60)) + "…" : line
}

extension String {
    func count(_ piece: String) -> Int {
        var count = 0
        var rest = Substring(self)
        while let range = rest.firstRange(of: piece) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}
