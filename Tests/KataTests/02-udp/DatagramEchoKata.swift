import Kata
import NodeNet
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1)))
@NodeActor struct DatagramEchoKata {
    @Test func everyDatagramComesBackToItsSender() async throws {
        let server = dgram.createSocket(.udp4)
        try await waitFor("listening") { done in try! server.bind(0, "127.0.0.1", done) }
        echoDatagrams(on: server)
        let client = dgram.createSocket(.udp4)
        defer {
            try? server.close()
            try? client.close()
        }
        for text in ["ping", "你好", String(repeating: "x", count: 1000)] {
            let echoed: String
            do {
                echoed = try await waitFor("an echo", seconds: 30) { done in
                    client.once(.message) { message, _ in done(message.toString()) }
                    try! client.send(text, server.address()!.port, "127.0.0.1")
                }
            } catch {
                Issue.record(
                    "sent a \(text.utf8.count)-byte datagram and nothing came back: send each message to rinfo's address and port"
                )
                return
            }
            #expect(
                echoed == text,
                "the echo must be the same bytes; sent \(text.prefix(10))…, got \(echoed.prefix(10))…")
        }
    }
}
