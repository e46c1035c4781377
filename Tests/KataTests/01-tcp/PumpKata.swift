import Kata
import NodeNet
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1)))
@NodeActor struct PumpKata {
    @Test func everyByteArrivesAndTheBufferStaysSmall() async throws {
        let chunk = 64 * 1024
        let chunks = (0..<160).map { index in Buffer.alloc(chunk, fill: UInt8(index % 251)) }
        var writer: Socket?
        var bufferedRightAfterPump = 0
        let (server, port) = try await listeningServer { socket in
            writer = socket
            pump(chunks, into: socket)
            bufferedRightAfterPump = socket.writableLength
        }
        defer { server.close() }
        let reader = net.connect(port)
        reader.pause()  // A slow reader: nothing is taken until the writer has had its go.
        try await waitFor("the connection", seconds: 30) { done in server.once(.connection) { _ in done() } }
        let limit = (writer?.writableHighWaterMark ?? 16384) + chunk
        #expect(
            bufferedRightAfterPump <= limit,
            "right after pump() returned, \(bufferedRightAfterPump) bytes were waiting in memory: stop writing when write() returns false"
        )
        let expected = try crypto.createHash("sha256")
        for piece in chunks { expected.update(piece) }
        let received = try crypto.createHash("sha256")
        var count = 0
        do {
            try await waitFor("the writer's end", seconds: 40) { done in
                reader.on(.data) {
                    received.update($0)
                    count += $0.count
                }
                reader.on(.end, done)
                reader.resume()
            }
        } catch {
            Issue.record(
                "the reader got \(count) of \(chunks.count * chunk) bytes and no end: after drain, go on writing, and end() after the last chunk"
            )
            return
        }
        #expect(count == chunks.count * chunk, "\(chunks.count * chunk) bytes were pumped, \(count) arrived")
        #expect(received.digest(.hex) == expected.digest(.hex), "the bytes arrived changed or out of order")
    }
}
