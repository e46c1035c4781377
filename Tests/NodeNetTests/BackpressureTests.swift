import TestSupport
import Testing

@testable import NodeNet

@Suite(.timeLimit(.minutes(2)))
@NodeActor struct BackpressureTests {
    @Test func drainFiresOnlyAfterWriteReturnedFalse() async throws {
        var serverSide: Socket?
        let (server, port) = try await listeningServer { socket in
            socket.pause()  // Reads nothing: the kernel's buffers fill and the client's backs up.
            serverSide = socket
        }
        let client = net.connect(port)
        try await waitFor("connect") { done in client.once(.connect, done) }
        let log = EventLog()
        client.on(.drain) { log.add("drain, writableLength \(client.writableLength)") }
        var writes = 0
        var accepted = true
        while accepted || client.writableLength == 0 {
            accepted = client.write(Buffer.alloc(64 * 1024))
            writes += 1
        }
        #expect(!accepted)
        #expect(client.writableLength >= client.writableHighWaterMark)
        #expect(log.entries.isEmpty, "no drain while the buffer is full")
        try await waitFor("drain") { done in
            client.once(.drain, done)
            serverSide?.resume()
        }
        #expect(log.entries == ["drain, writableLength 0"])
        client.destroy()
        server.close()
    }

    @Test func noDrainWhenEveryWriteReturnedTrue() async throws {
        let (server, port) = try await listeningServer { socket in socket.resume() }
        let client = net.connect(port)
        let log = EventLog()
        client.on(.drain) { log.add("drain") }
        try await waitFor("every write flushed") { done in
            var left = 10
            for _ in 0..<10 {
                let accepted = client.write("small") { _ in
                    left -= 1
                    if left == 0 { done() }
                }
                #expect(accepted)
            }
        }
        // The write callbacks have run, so a drain would have been scheduled by now; one more
        // loop turn lets it fire if it was.
        try await waitFor("one more turn") { done in setImmediate(done) }
        #expect(log.entries.isEmpty)
        client.destroy()
        server.close()
    }

    @Test func sixtyFourMebibytesArriveIntact() async throws {
        let total = 64 * 1024 * 1024
        let received = try crypto.createHash("sha256")
        var receivedBytes = 0
        var progress: @NodeActor () -> Void = {}
        let (server, port) = try await listeningServer { socket in
            socket.on(.data) { data in
                progress()
                received.update(data)
                receivedBytes += data.count
            }
        }
        let writer = try PatternedWriter(total: total, into: net.connect(port))
        try await waitForTransfer("every byte received") { done, progressed in
            progress = progressed
            server.once(.connection) { socket in socket.on(.end) { done() } }
            writer.start()
        }
        #expect(receivedBytes == total)
        #expect(writer.heldBack > 0, "a 64 MiB transfer must meet back-pressure")
        #expect(received.digest(.hex) == writer.sent.digest(.hex))
        server.close()
    }
}
