import Kata
import NodeNet
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HalfOpenSummaryKata {
    /// Sends `chunks`, ends, and returns what the server said before its own end (nil if it never ended).
    private func exchange(_ chunks: [String]) async throws -> String? {
        let (server, port) = try await listeningServer(ServerOptions(allowHalfOpen: true)) { socket in
            summarizeWhenClientEnds(socket)
        }
        defer { server.close() }
        let client = net.connect(port)
        defer { client.destroy() }
        var reply = ""
        do {
            try await waitFor("the server's end", seconds: 30) { done in
                client.on(.data) { reply += $0.toString() }
                client.on(.end, done)
                for chunk in chunks.dropLast() { client.write(chunk) }
                client.end(chunks.last ?? "")
            }
        } catch {
            Issue.record(
                "the client sent \(chunks.joined().utf8.count) bytes and ended its side, and the server did not end its own \(waited(30, error)); got \"\(reply)\""
            )
            return nil
        }
        return reply
    }

    @Test func theServerAnswersAfterTheClientHasEnded() async throws {
        guard let reply = try await exchange(["hello", " world", "!"]) else { return }
        #expect(
            reply == "received 12 bytes",
            "after the client's end, the server must say \"received 12 bytes\"; it said \"\(reply)\"")
    }

    @Test func bytesAreCountedNotCharacters() async throws {
        guard let reply = try await exchange(["你好", "，TCP"]) else { return }
        #expect(
            reply == "received 12 bytes",
            "the client sent \"你好，TCP\": 6 characters, but 12 bytes in UTF-8 (3 for each Chinese character); the server must say \"received 12 bytes\", counting data.count, not characters. It said \"\(reply)\""
        )
    }
}
