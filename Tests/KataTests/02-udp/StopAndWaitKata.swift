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
        var progress: @NodeActor () -> Void = {}
        receiver.on(.message) { message, rinfo in
            let text = message.toString()
            guard let colon = text.firstIndex(of: ":"), let number = Int(text[..<colon]) else { return }
            if number == delivered.count {
                delivered.append(String(text[text.index(after: colon)...]))
                progress()
            }
            try? receiver.send("ack:\(number)", rinfo.port, rinfo.address)
        }
        // The relay loses the first copy of every third new datagram, both ways: each message or
        // ack it picks is lost once and its resent copy gets through, the same ones however many
        // extra copies late timers add on a busy machine. And it delivers every ack twice, so
        // that the sender meets an ack for a message it has already moved past.
        var seen = 0
        var known: Set<String> = []
        relay.on(.message) { message, rinfo in
            seen += 1
            if known.insert(message.toString()).inserted && known.count % 3 == 0 { return }
            let toReceiver = rinfo.port == sender.address()!.port
            let copies = toReceiver ? 1 : 2
            for _ in 0..<copies {
                try? relay.send(
                    message, toReceiver ? receiver.address()!.port : sender.address()!.port, "127.0.0.1")
            }
        }
        do {
            // Failing once 30 s pass with no new message delivered: on a busy machine the whole
            // exchange may take longer, and a sender that stopped makes no progress at all.
            try await waitForTransfer("done", stalledFor: 30) { done, progressed in
                progress = progressed
                sendReliably(messages, through: sender, to: relay.address()!.port, timeout: 20, done: done)
            }
        } catch {
            Issue.record(
                "done was not called, no new message arriving \(waited(30, error)); the receiver got \(delivered.count) of \(messages.count) messages. Resend after the timeout until the ack comes."
            )
            return
        }
        #expect(
            delivered == messages,
            "through a relay that loses datagrams and repeats acks, every message must arrive once, in order; got \(delivered)"
        )
        #expect(seen > messages.count * 2, "with losses, some datagrams must have been sent again")
    }
}
