import TestSupport
import Testing

@testable import NodeNet

/// A socket's writable side over real connections, as Node 20 behaves on 127.0.0.1: what `write`
/// answers, when `drain` and `finish` come, and what `end()` and writes after it do.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct WritableEndTests {
    /// A connected client whose server reads everything; the server socket is handed to `accepted`.
    private func connectedClient(_ accepted: @escaping @NodeActor (Socket) -> Void = { $0.resume() })
        async throws -> (Server, Socket)
    {
        let (server, port) = try await listeningServer(ServerOptions(), accepted)
        let client = net.connect(port)
        try await waitFor("connect") { done in client.once(.connect, done) }
        return (server, client)
    }

    /// Runs `act`, then waits for `client`'s `close`.
    private func untilClose(_ client: Socket, _ act: () -> Void) async throws {
        try await waitFor("close") { done in
            client.on(.close) { _ in done() }
            act()
        }
    }

    @Test func writeAnswersFalseAtExactlyTheHighWaterMarkWhileItWaits() async throws {
        let (server, port) = try await listeningServer { $0.resume() }
        let client = net.connect(port)
        // Connecting, nothing can go out yet: the bytes wait (Node: false, 16384).
        #expect(client.write(Buffer.alloc(16383)))
        #expect(!client.write(Buffer.alloc(1)))
        #expect(client.writableLength == client.writableHighWaterMark)
        try await waitFor("drain after the connection took them") { done in client.once(.drain, done) }
        #expect(client.writableLength == 0)
        client.destroy()
        server.close()
    }

    @Test func bytesTheKernelTakesAtOnceLeaveWriteAnsweringTrue() async throws {
        let (server, client) = try await connectedClient()
        let log = EventLog()
        client.on(.drain) { log.add("drain") }
        // Node 20 answers true here too: the answer counts what still waits after the attempt.
        #expect(client.write(Buffer.alloc(client.writableHighWaterMark)))
        #expect(client.writableLength == 0)
        try await waitFor("one more turn") { done in setImmediate(done) }
        #expect(log.entries.isEmpty, "no drain without a false answer")
        client.destroy()
        server.close()
    }

    @Test func drainComesBeforeTheCallbackOfTheWriteThatEmptiedTheBuffer() async throws {
        var serverSide: Socket?
        let (server, client) = try await connectedClient { socket in
            socket.pause()
            serverSide = socket
        }
        let log = EventLog()
        var writes = 0
        var lastCallback: (@NodeActor () -> Void)?
        var accepted = true
        while accepted {
            writes += 1
            let write = writes
            accepted = client.write(Buffer.alloc(64 * 1024)) { _ in
                log.add("callback \(write)")
                if write == writes { lastCallback?() }
            }
        }
        try await waitFor("the last write's callback") { done in
            lastCallback = done
            client.once(.drain) { log.add("drain") }
            serverSide?.resume()
        }
        // Node 20: ... callback 58, drain, callback 59.
        #expect(log.entries.suffix(2) == ["drain", "callback \(writes)"])
        client.destroy()
        server.close()
    }

    @Test func noDrainOnceEndWasCalled() async throws {
        var serverSide: Socket?
        let (server, client) = try await connectedClient { socket in
            socket.pause()  // Reads nothing yet: the client's writes back up.
            serverSide = socket
        }
        let log = EventLog()
        client.on(.drain) { log.add("drain") }
        client.on(.finish) { log.add("finish") }
        while client.write(Buffer.alloc(64 * 1024)) {}
        client.end()
        try await untilClose(client) { serverSide?.resume() }
        // Node 20: a false write, then end(): `finish` and `close`, never `drain`.
        #expect(log.entries == ["finish"])
        server.close()
    }

    @Test func endCallbacksRunBeforeFinishListenersAndEndTwiceKeepsBoth() async throws {
        let (server, client) = try await connectedClient()
        let log = EventLog()
        client.on(.finish) { log.add("finish listener") }
        try await untilClose(client) {
            client.end("a") { log.add("end callback 1") }
            client.end { log.add("end callback 2") }
        }
        #expect(log.entries == ["end callback 1", "end callback 2", "finish listener"])
        server.close()
    }

    @Test func endAfterFinishStillCallsBack() async throws {
        let (server, client) = try await connectedClient()
        try await waitFor("the late end's callback", seconds: 30) { done in
            client.once(.finish) { client.end(nil, done) }
            client.end()
        }
        #expect(client.writableFinished)
        client.destroy()
        server.close()
    }

    @Test func finishIsNeverReportedInsideEnd() async throws {
        let (server, client) = try await connectedClient()
        client.end()
        #expect(client.writableEnded)
        #expect(!client.writableFinished, "Node: ended at once, finished later")
        try await waitFor("finish") { done in client.once(.finish, done) }
        #expect(client.writableFinished)
        client.destroy()
        server.close()
    }

    @Test func aSocketDestroyedWhileEndingNeverFinishes() async throws {
        let (server, client) = try await connectedClient()
        let log = EventLog()
        client.on(.finish) { log.add("finish") }
        try await untilClose(client) {
            client.end("x") { log.add("end callback") }
            client.destroy()
        }
        #expect(log.entries.isEmpty)
        #expect(!client.writableFinished)
        server.close()
    }

    @Test func writeAfterEndCallsBackThenErrorsThenCloses() async throws {
        let (server, client) = try await connectedClient()
        let log = EventLog()
        client.on(.error) { log.add("error \($0.code)") }
        client.end("x")
        try await waitFor("close") { done in
            client.on(.close) { hadError in
                log.add("close(\(hadError))")
                done()
            }
            let accepted = client.write("y") { log.add("callback \($0?.code ?? "none")") }
            log.add("write answered \(accepted), destroyed \(client.destroyed)")
        }
        #expect(
            log.entries == [
                "write answered false, destroyed true", "callback ERR_STREAM_WRITE_AFTER_END",
                "error ERR_STREAM_WRITE_AFTER_END",
                "close(true)",
            ])
        server.close()
    }

    @Test func aSocketIsDestroyedFromTheCallAndAWriteThenIsRefusedWithoutAnError() async throws {
        let (server, client) = try await connectedClient()
        let log = EventLog()
        client.on(.error) { log.add("error \($0.code)") }
        try await waitFor("close") { done in
            client.on(.close) { hadError in
                log.add("close(\(hadError))")
                done()
            }
            client.destroy()
            log.add("after destroy(): destroyed \(client.destroyed)")
            let accepted = client.write("y") { log.add("callback \($0?.code ?? "none")") }
            log.add("write answered \(accepted)")
        }
        // As Node 20 on 127.0.0.1.
        #expect(
            log.entries == [
                "after destroy(): destroyed true", "write answered false", "callback ERR_STREAM_DESTROYED",
                "close(false)",
            ])
        server.close()
    }

    /// Node 20 (checked with node on 127.0.0.1): `destroy(error)` returns first; the error comes
    /// on the next tick, before the ticks queued after the call; `close` comes once the handle has
    /// closed, after this turn's immediates.
    @Test func destroyEmitsTheErrorOnTheNextTickAndCloseAfterTheImmediates() async throws {
        let (server, client) = try await connectedClient()
        let log = EventLog()
        try await waitFor("close") { done in
            client.on(.error) { log.add("error \($0.message)") }
            client.on(.close) { hadError in
                log.add("close(\(hadError))")
                done()
            }
            client.destroy(NodeError(code: "EDESTROYED", message: "x"))
            process.nextTick { log.add("tick") }
            _ = setImmediate { log.add("immediate") }
            log.add("after destroy(), destroyed \(client.destroyed)")
        }
        #expect(
            log.entries == ["after destroy(), destroyed true", "error x", "tick", "immediate", "close(true)"])
        server.close()
    }
}
