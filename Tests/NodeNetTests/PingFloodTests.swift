@_spi(Testing) import NodeNet
import TestSupport
import Testing

/// A WebSocket client that pings as fast as the server answers and does not read the pongs: the
/// server stops reading its pings (TCP then holds the client back) rather than queue pongs
/// without end, and reads again once they drain. Two minutes each: a whole `swift test` on two
/// cores has taken 10 s to set one up and 10 more to see the stop.
@Suite(.timeLimit(.minutes(2)))
@NodeActor struct PingFloodTests {
    /// A client that writes `batches` writes of 512 pings of 125 bytes each, as fast as its
    /// socket takes them, to a fresh echo server, and reads nothing until resumed.
    @NodeActor private final class PingingClient {
        static let ping = RawWebSocket.frame(0x89, [UInt8](repeating: 0x70, count: 125))
        static let pingsPerWrite = 512
        /// Each ping's pong: the same 125 bytes behind a two-byte header.
        static let pongBytes = 2 + 125
        let server: WebSocketServer
        let port: Int
        let client: Socket
        let batches: Int
        private(set) var sent = 0
        private(set) var serverSide: (ws: WebSocket, socket: Socket)?

        init(batches: Int) async throws {
            (server, port) = try await listeningEchoServer()
            self.batches = batches
            // Smaller send buffers on both ends (the server's pongs, the client's pings): a few
            // hundred kilobytes back them up, where loopback's grow to megabytes (seconds of the
            // loop every test shares). The receive buffers are left to the kernel: fixed ones
            // made both tests stall for a minute and more (``Socket/setKernelSendBufferSize(_:)`` says why).
            let sendBuffer = 128 * 1024
            client = net.connect(port, "127.0.0.1")
            server.on(.connection) { [unowned self] ws, req in
                req.socket.setKernelSendBufferSize(sendBuffer)
                serverSide = (ws, req.socket)
            }
            client.on(.error) { _ in }
            client.on(.connect) { [client] in client.setKernelSendBufferSize(sendBuffer) }
            client.pause()
            client.write(RawWebSocket.handshake())
            pump()
            try await waitUntil("the server to take the connection") { self.serverSide != nil }
        }

        private func pump() {
            let batch = Buffer(Array(Array(repeating: Self.ping, count: Self.pingsPerWrite).joined()))
            while sent < batches {
                sent += 1
                if !client.write(batch) {
                    client.once(.drain) { [unowned self] in pump() }
                    return
                }
            }
        }

        /// Waits until the server reads no more though the client has pings to send, its pongs
        /// past the high-water mark; fails if more than `limit` of them queue meanwhile.
        func expectTheServerToStopReading() async throws {
            let (ws, socket) = serverSide!
            let mark = socket.writableHighWaterMark
            // Past the mark by at most what one SwiftNIO read of pings (four 64 KiB buffers) answers.
            let limit = mark + 4 * 64 * 1024
            try await waitUntilReadingStalls(
                seconds: 60, bytesRead: { socket.bytesRead }, peerHasMore: { self.client.writableLength > 0 },
                ready: { ws.bufferedAmount >= mark }, overLimit: { ws.bufferedAmount > limit })
            #expect(ws.bufferedAmount <= limit, "pongs nobody reads queued without end")
        }

        func close() {
            client.destroy()
            server.httpServer?.close()
        }
    }

    @Test func aClientThatPingsAndNeverReadsItsPongsIsHeldBack() async throws {
        // 500 writes: 33 MB of pings, as many bytes of pongs.
        let pinger = try await PingingClient(batches: 500)
        defer { pinger.close() }
        try await pinger.expectTheServerToStopReading()
        #expect(pinger.sent < pinger.batches, "the pinging client must have been held back")
        try await expectEchoes("still serving", port: pinger.port)
    }

    /// Once the client reads its pongs, the server's socket drains and it reads the pings it
    /// had left in the kernel: every ping gets its pong.
    @Test func aPingingClientThatReadsAgainGetsEveryPong() async throws {
        // 40 writes: 2.6 MB of pings; the server stops reading with 0.7 to 1 MB of them sent
        // (10 to 16 writes), the receive buffer the kernel grew for it meanwhile full.
        let pinger = try await PingingClient(batches: 40)
        defer { pinger.close() }
        try await pinger.expectTheServerToStopReading()
        try #require(pinger.client.writableLength > 0, "the server stopped with every ping read")
        let expected = pinger.batches * PingingClient.pingsPerWrite * PingingClient.pongBytes
        // The handshake's answer comes first, on the same paused socket.
        var head: [UInt8]? = []  // nil once it is past
        var received = 0
        try await waitFor("every pong", seconds: 60) { done in
            pinger.client.on(.data) { data in
                if var bytes = head {
                    bytes += data.bytes
                    guard let end = RawWebSocket.endOfHead(in: bytes) else { return head = bytes }
                    received = bytes.count - end
                    head = nil
                } else {
                    received += data.length
                }
                if received >= expected { done() }
            }
            pinger.client.resume()
        }
        #expect(received == expected)
    }
}
