import Kata
import NodeNet
import TestSupport
import Testing

/// A real UDP server with your code, and three clients: two programs on 127.0.0.1, and a third on
/// 127.0.0.2 that uses the same port as the first.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct PeerCountsKata {
    private func bound(_ port: Int, _ address: String) async throws -> DatagramSocket {
        let socket = dgram.createSocket(.udp4)
        try await waitFor("bound to \(address)") { done in try! socket.bind(port, address, done) }
        return socket
    }

    @Test func eachAddressAndPortIsCountedApart() async throws {
        let server = try await bound(0, "127.0.0.1")
        countPerPeer(on: server)
        let first = try await bound(0, "127.0.0.1")
        let second = try await bound(0, "127.0.0.1")
        let firstPort = first.address()!.port
        let third = try await bound(firstPort, "127.0.0.2")
        defer { for socket in [server, first, second, third] { try? socket.close() } }
        let names: [ObjectIdentifier: String] = [
            ObjectIdentifier(first): "the first client (127.0.0.1:\(firstPort))",
            ObjectIdentifier(second): "the second client (127.0.0.1:\(second.address()!.port))",
            ObjectIdentifier(third): "the third client (127.0.0.2:\(firstPort), the first one's port)",
        ]
        let steps: [(DatagramSocket, String)] = [
            (first, "1"), (first, "2"), (second, "1"), (third, "1"), (first, "3"), (second, "2"),
            (third, "2"),
        ]
        var history: [String] = []
        for (client, expected) in steps {
            let who = names[ObjectIdentifier(client)]!
            let answer: String
            do {
                answer = try await waitFor("an answer", seconds: 30) { done in
                    client.once(.message) { message, _ in done(message.toString()) }
                    try! client.send("hello", server.address()!.port, "127.0.0.1")
                }
            } catch {
                Issue.record(
                    "\(who) sent a datagram and got no answer \(waited(30, error)): answer every message, to rinfo's address and port"
                )
                return
            }
            history.append("\(who): \(answer)")
            guard answer == expected else {
                Issue.record(
                    "\(who) should be answered \"\(expected)\", its datagram number \(expected); you answered \"\(answer)\". A sender is rinfo.address and rinfo.port together. So far:\n\(history.joined(separator: "\n"))"
                )
                return
            }
        }
    }
}
