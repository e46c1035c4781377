import NodeNet
import TestSupport
import Testing

/// A message's writable side over real connections, as Node 20's `OutgoingMessage` behaves on
/// 127.0.0.1: writes after `end()`, `end()` after `finish`, and no `drain` once ended.
/// A long transfer here waits until its bytes stop (`waitForTransfer`), under a limit long enough
/// for a whole run on two cores, where it shares the one loop with some 700 tests.
@Suite(.timeLimit(.minutes(3)))
@NodeActor struct HTTPWritableEndTests {
    @Test func aResponseWriteAfterEndCallsBackThenErrorsBothLater() async throws {
        let log = EventLog()
        let (server, port) = try await listeningHTTPServer { _, res in
            res.on(.error) { log.add("error \($0.code)") }
            res.end("x")
            let accepted = res.write("y") { log.add("callback \($0?.code ?? "none")") }
            log.add("write answered \(accepted)")
        }
        try await getToTheEnd(port)
        #expect(
            log.entries == [
                "write answered false", "callback ERR_STREAM_WRITE_AFTER_END",
                "error ERR_STREAM_WRITE_AFTER_END",
            ])
        server.close()
    }

    @Test func aResponseFinishesThenCloses() async throws {
        let log = EventLog()
        var closed: (@NodeActor () -> Void)?
        let (server, port) = try await listeningHTTPServer { _, res in
            res.on(.finish) {
                log.add("finish, ended \(res.writableEnded), finished \(res.writableFinished)")
            }
            res.on(.close) { closed?() }
            res.end("x")
            log.add("ended \(res.writableEnded)")
        }
        try await waitFor("the response's close") { done in
            closed = done
            http.request(RequestOptions(host: "127.0.0.1", port: port, agent: nil)) { $0.resume() }.end()
        }
        #expect(log.entries == ["ended true", "finish, ended true, finished true"])
        server.close()
    }

    @Test func endAfterFinishCallsBackAtOnce() async throws {
        let log = EventLog()
        let (server, port) = try await listeningHTTPServer { _, res in
            res.on(.finish) {
                res.end { log.add("late end callback") }
                log.add("after the late end")
            }
            res.end { log.add("end callback") }
            // Node says true here when the kernel took the bytes at once (see Differences.md).
            log.add("finished inside end: \(res.writableFinished)")
        }
        try await getToTheEnd(port)
        // Node 20 calls the late callback at once (with ERR_STREAM_ALREADY_FINISHED).
        #expect(
            log.entries == [
                "finished inside end: false", "late end callback", "after the late end", "end callback",
            ])
        server.close()
    }

    @Test func aRequestGetsNoDrainOnceEnded() async throws {
        var progress: @NodeActor () -> Void = {}
        let (server, port) = try await listeningHTTPServer { req, res in
            req.on(.data) { _ in progress() }
            req.on(.end) { res.end("ok") }
        }
        let log = EventLog()
        try await waitForTransfer("response") { done, progressed in
            progress = progressed
            let req = http.request(RequestOptions(host: "127.0.0.1", port: port, method: "POST", agent: nil))
            {
                res in
                res.resume()
                res.on(.end, done)
            }
            req.on(.drain) { log.add("drain") }
            // More than the kernel takes at once: the connection backs up, then drains.
            let accepted = req.write(Buffer.alloc(8 * 1024 * 1024))
            log.add("write answered \(accepted)")
            req.end()
        }
        // Node 20: `drain` is not emitted on a message once `end()` was called.
        #expect(log.entries == ["write answered false"])
        server.close()
    }
}
