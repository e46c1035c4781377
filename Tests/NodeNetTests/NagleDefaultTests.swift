import NIOCore
import NIOPosix
import TestSupport
import Testing

@testable import NodeNet

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.timeLimit(.minutes(1)))
@NodeActor struct NagleDefaultTests {
    private func noDelay(of socket: Socket) async throws -> Int {
        try await socket.channel!.getOption(.tcpOption(.tcp_nodelay)).get()
    }

    @Test func netSocketsStartWithNagleOn() async throws {
        var serverSide: Socket?
        let (server, port) = try await listeningServer { serverSide = $0 }
        let client = net.connect(port)
        try await waitFor("connect") { done in client.on(.connect, done) }
        try await waitFor("connection") { done in
            if serverSide != nil { done() } else { server.once(.connection) { _ in done() } }
        }
        #expect(try await noDelay(of: client) == 0)
        #expect(try await noDelay(of: serverSide!) == 0)
        client.destroy()
        server.close()
    }

    /// Node 20's `http.createServer` sets TCP_NODELAY on every connection it accepts (its
    /// `noDelay` option defaults to true; `strace` shows the `setsockopt`), where `net` leaves
    /// Nagle on: chapter 1's erratum 4 and chapter 3.
    @Test func httpServerSocketsStartWithNagleOff() async throws {
        // Read while the request is handled, on the connection's own loop, before it can close.
        var flag: Int?
        let (server, port) = try await listeningHTTPServer { req, res in
            flag = try? req.socket.channel?.syncOptions?.getOption(.tcpOption(.tcp_nodelay))
            res.end("ok")
        }
        defer { server.close() }
        let reply = try await rawExchange(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(reply.text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(
            flag != nil && flag != 0,
            "TCP_NODELAY on the server's side of an HTTP connection: \(String(describing: flag))")
    }

    @Test func setNoDelayTurnsItOff() async throws {
        let (server, port) = try await listeningServer(ServerOptions(noDelay: true))
        let client = net.connect(port)
        try await waitFor("connect") { done in client.on(.connect, done) }
        client.setNoDelay()
        try await waitFor("one turn") { done in setImmediate(done) }
        #expect(try await noDelay(of: client) != 0)
        client.destroy()
        server.close()
    }
}

@Suite(.timeLimit(.minutes(1)))
@NodeActor struct KeepAliveTests {
    @Test func setKeepAliveConfiguresProbesAsNodeDoes() async throws {
        let (server, port) = try await listeningServer()
        let client = net.connect(port)
        try await waitFor("connect") { done in client.on(.connect, done) }
        let channel = try #require(client.channel)
        #expect(try await channel.getOption(.socketOption(.so_keepalive)).get() == 0)
        client.setKeepAlive(true, initialDelay: 3000)
        try await waitFor("one turn") { done in setImmediate(done) }
        #expect(try await channel.getOption(.socketOption(.so_keepalive)).get() != 0)
        let tcp = NIOBSDSocket.OptionLevel.tcp
        func tcpOption(_ name: Int32) async throws -> Int {
            let option = ChannelOptions.Types.SocketOption(
                level: tcp, name: NIOBSDSocket.Option(rawValue: name))
            return try await channel.getOption(option).get()
        }
        // Node: TCP_KEEPIDLE = initialDelay in seconds, TCP_KEEPINTVL = 1, TCP_KEEPCNT = 10.
        #expect(try await tcpOption(TCP_KEEPIDLE) == 3)
        #expect(try await tcpOption(TCP_KEEPINTVL) == 1)
        #expect(try await tcpOption(TCP_KEEPCNT) == 10)
        client.destroy()
        server.close()
    }
}
