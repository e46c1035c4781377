import Kata
import NodeNet
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1)))
@NodeActor struct GreetAndReplyKata {
    @Test func theGreetingArrivesFirstThenEveryMessageGetsTheReply() async throws {
        let (server, port) = try await listeningServer { socket in
            handleBookConnection(socket, greeting: "欢迎光临", reply: "你好")
        }
        defer { server.close() }
        let client = net.connect(port)
        defer { client.destroy() }
        var received: [String] = []
        client.on(.data) { received.append($0.toString()) }
        do {
            try await waitFor("the greeting", seconds: 30) { done in client.once(.data) { _ in done() } }
        } catch {
            Issue.record(
                "a client connected, but no greeting arrived \(waited(30, error)): write it as soon as the connection comes"
            )
            return
        }
        #expect(received == ["欢迎光临"], "the first bytes must be the greeting; the client received \(received)")
        for message in ["one", "two"] {
            let before = received.count
            do {
                try await waitFor("a reply", seconds: 30) { done in
                    client.once(.data) { _ in done() }
                    client.write(message)
                }
            } catch {
                Issue.record(
                    "the client sent \"\(message)\" and got no reply \(waited(30, error)): answer every data event"
                )
                return
            }
            #expect(
                received[before...].joined() == "你好",
                "each message must be answered with the reply; got \(received[before...])")
        }
    }
}
