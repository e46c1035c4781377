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
