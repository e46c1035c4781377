import Kata
import NodeNet
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HalfOpenSummaryKata {
    @Test func theServerAnswersAfterTheClientHasEnded() async throws {
        let (server, port) = try await listeningServer(ServerOptions(allowHalfOpen: true)) { socket in
            summarizeWhenClientEnds(socket)
        }
        defer { server.close() }
        let client = net.connect(port)
        defer { client.destroy() }
        var reply = ""
        do {
            try await waitFor("the server's end", seconds: 10) { done in
                client.on(.data) { reply += $0.toString() }
                client.on(.end, done)
                client.write("hello")
                client.write(" world")
                client.end("!")
            }
        } catch {
            Issue.record(
                "the client sent 12 bytes and ended its side, then waited 10 s for the server to end; got \"\(reply)\""
            )
            return
        }
        #expect(
            reply == "received 12 bytes",
            "after the client's end, the server must say \"received 12 bytes\"; it said \"\(reply)\"")
    }
}
