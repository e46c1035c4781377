import NodeNet
import TestSupport
import Testing

/// `writableNeedDrain`, on a socket and on a response: true after a false `write` until `drain`,
/// and false once `end()` is called, as in Node 20.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct WritableNeedDrainTests {
    @Test func aSocketNeedsDrainFromAFalseWriteUntilDrain() async throws {
        let (server, port) = try await listeningServer { $0.resume() }
        let client = net.connect(port)
        #expect(!client.writableNeedDrain)
        #expect(!client.write(Buffer.alloc(client.writableHighWaterMark)), "connecting: it waits")
        #expect(client.writableNeedDrain)
        try await waitFor("drain") { done in client.once(.drain, done) }
        #expect(!client.writableNeedDrain)
        client.destroy()
        server.close()
    }

    @Test func anEndedSocketNeedsNoDrain() async throws {
        let (server, port) = try await listeningServer { $0.resume() }
        let client = net.connect(port)
        #expect(!client.write(Buffer.alloc(client.writableHighWaterMark)))
        client.end()
        #expect(!client.writableNeedDrain, "Node: false once end() is called")
        try await waitFor("close") { done in client.on(.close) { _ in done() } }
        server.close()
    }

    @Test func aResponseNeedsDrainFromAFalseWriteUntilEnd() async throws {
        let log = EventLog()
        let (server, port) = try await listeningHTTPServer { _, res in
            log.add("before: \(res.writableNeedDrain)")
            while res.write(Buffer.alloc(64 * 1024)) {}
            log.add("after a false write: \(res.writableNeedDrain)")
            res.end()
            log.add("after end: \(res.writableNeedDrain)")
        }
        try await getToTheEnd(port)
        #expect(log.entries == ["before: false", "after a false write: true", "after end: false"])
        server.close()
    }
}
