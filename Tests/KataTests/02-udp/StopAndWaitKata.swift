import Kata
import NodeNet
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1)))
@NodeActor struct StopAndWaitKata {
    @Test func everyMessageArrivesOnceAndInOrderThroughALossyRelay() async throws {
        let messages = (1...12).map { "message \($0)" }
        let receiver = dgram.createSocket(.udp4)
        let relay = dgram.createSocket(.udp4)
        let sender = dgram.createSocket(.udp4)
        defer { for socket in [receiver, relay, sender] { try? socket.close() } }
        for socket in [receiver, relay, sender] {
            try await waitFor("listening") { done in try! socket.bind(0, "127.0.0.1", done) }
        }
        // The receiver keeps each number once and acknowledges every copy it gets.
        var delivered: [String] = []
        receiver.on(.message) { message, rinfo in
            let text = message.toString()
            guard let colon = text.firstIndex(of: ":"), let number = Int(text[..<colon]) else { return }
            if number == delivered.count { delivered.append(String(text[text.index(after: colon)...])) }
            try? receiver.send("ack:\(number)", rinfo.port, rinfo.address)
        }
        // The relay drops one datagram in three, both ways, always the same ones.
        var seen = 0
        relay.on(.message) { message, rinfo in
            seen += 1
            guard seen % 3 != 0 else { return }
            let toReceiver = rinfo.port == sender.address()!.port
            try? relay.send(
                message, toReceiver ? receiver.address()!.port : sender.address()!.port, "127.0.0.1")
        }
        do {
            try await waitFor("done", seconds: 30) { done in
                sendReliably(messages, through: sender, to: relay.address()!.port, timeout: 20, done: done)
            }
        } catch {
            Issue.record(
                "done was not called \(waited(30, error)); the receiver got \(delivered.count) of \(messages.count) messages. Resend after the timeout until the ack comes."
            )
            return
        }
        #expect(
            delivered == messages,
            "through a relay losing one datagram in three, every message must arrive once, in order; got \(delivered)"
        )
        #expect(seen > messages.count * 2, "with losses, some datagrams must have been sent again")
    }
}
