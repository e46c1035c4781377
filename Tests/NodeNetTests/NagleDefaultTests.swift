import NIOCore
import Testing

@testable import NodeNet

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
