import Kata
import NodeNet
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1)))
@NodeActor struct DatagramEchoKata {
    /// A socket bound to `address` (port 0 unless given), listening; nil if the address is taken.
    private func bound(_ address: String, port: Int = 0) async throws -> DatagramSocket? {
        let socket = dgram.createSocket(.udp4)
        let bound: Bool = try await waitFor("listening on \(address)") { done in
            socket.once(.error) { _ in done(false) }
            try! socket.bind(port, address) { done(true) }
        }
        return bound ? socket : nil
    }

    private func echoServer() async throws -> DatagramSocket {
        let server = try #require(try await bound("127.0.0.1"))
        echoDatagrams(on: server)
        return server
    }

    @Test func everyDatagramComesBackToItsSender() async throws {
        let server = try await echoServer()
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

    /// The whole of 127.0.0.0/8 is this machine, so a client on 127.0.0.2 is another sender. A
    /// socket on 127.0.0.1 with the client's port catches an echo sent to the wrong address.
    @Test func theEchoGoesToTheSendersAddress() async throws {
        let server = try await echoServer()
        let client = try #require(try await bound("127.0.0.2"), "cannot bind a socket to 127.0.0.2")
        let port = client.address()!.port
        let decoy = try await bound("127.0.0.1", port: port)
        defer {
            try? server.close()
            try? client.close()
            try? decoy?.close()
        }
        let arrived: String
        do {
            arrived = try await waitFor("an echo", seconds: 30) { done in
                client.once(.message) { _, _ in done("127.0.0.2") }
                decoy?.once(.message) { _, _ in done("127.0.0.1") }
                try! client.send("ping", server.address()!.port, "127.0.0.1")
            }
        } catch {
            Issue.record(
                "a client on 127.0.0.2, port \(port), sent \"ping\" and nothing came back \(waited(30, error)): send each message to rinfo.address and rinfo.port"
            )
            return
        }
        #expect(
            arrived == "127.0.0.2",
            "the datagram came from 127.0.0.2, port \(port), but your echo went to \(arrived): send it to rinfo.address, not a fixed address"
        )
    }
}
