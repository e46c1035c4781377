import Kata
import NodeNet
import TestSupport
import Testing

/// Real sockets on loopback: a receiver that counts what arrives, and a sender that runs your code.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct SendReportKata {
    /// The sizes of the datagrams a socket received, and the errors a socket emitted.
    @NodeActor final class Seen {
        var sizes: [Int] = []
        var errors: [String] = []
    }

    private func report(_ messages: [Buffer], to port: Int, from sender: DatagramSocket) async -> [String]? {
        do {
            return try await waitFor("done", seconds: 30) { done in
                sendAndReport(sender, messages, to: port, "127.0.0.1", done: done)
            }
        } catch {
            let sizes = messages.map { "\($0.count)" }.joined(separator: ", ")
            Issue.record(
                messages.isEmpty
                    ? "sendAndReport was given no messages and did not call done \(waited(30, error)): with nothing to send, no callback will come, so call done([]) at once"
                    : "sendAndReport was given \(messages.count) messages (of \(sizes) bytes) and did not call done \(waited(30, error)): call it once every send's callback has come"
            )
            return nil
        }
    }

    @Test func everySendIsReportedInOrderAndTheTooBigOneFails() async throws {
        let receiver = dgram.createSocket(.udp4)
        try await waitFor("listening") { done in try! receiver.bind(0, "127.0.0.1", done) }
        let sender = dgram.createSocket(.udp4)
        defer {
            try? receiver.close()
            try? sender.close()
        }
        let seen = Seen()
        receiver.on(.message) { message, _ in seen.sizes.append(message.count) }
        sender.on(.error) { seen.errors.append($0.code) }
        let messages = [
            Buffer("hello"), Buffer.alloc(65_507, fill: 0x61), Buffer.alloc(65_508, fill: 0x62), Buffer(""),
            Buffer("你好"),
        ]
        guard let lines = await report(messages, to: receiver.address()!.port, from: sender) else { return }
        let expected = ["sent 5 bytes", "sent 65507 bytes", "EMSGSIZE", "sent 0 bytes", "sent 6 bytes"]
        #expect(
            lines == expected,
            "messages of 5, 65507, 65508, 0 and 6 bytes: the report must be \(expected), one line per message in their order; you reported \(lines)"
        )
        #expect(
            seen.errors.isEmpty,
            "the sending socket emitted error \(seen.errors): give every send a callback, which receives its error instead"
        )
        do {
            try await waitFor("four datagrams", seconds: 30) { done in
                if seen.sizes.count == 4 { return done() }
                receiver.on(.message) { _, _ in if seen.sizes.count == 4 { done() } }
            }
        } catch {
            Issue.record(
                "the receiver got datagrams of \(seen.sizes) bytes; it should get four, of 5, 65507, 0 and 6 bytes (the 65508-byte one cannot be sent)"
            )
            return
        }
        #expect(
            seen.sizes.sorted() == [0, 5, 6, 65_507],
            "each message must be one datagram: the receiver got datagrams of \(seen.sizes) bytes")
    }

    @Test func nothingToSendIsReportedAtOnce() async throws {
        let sender = dgram.createSocket(.udp4)
        defer { try? sender.close() }
        guard let lines = await report([], to: 9, from: sender) else { return }
        #expect(lines == [], "with no messages the report is []; you reported \(lines)")
    }
}
