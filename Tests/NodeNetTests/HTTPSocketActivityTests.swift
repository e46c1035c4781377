import NodeNet
import TestSupport
import Testing

/// What an HTTP connection's socket says of the bytes it reads, though HTTP's parser takes them:
/// Node 20 counts them in `bytesRead` and lets them keep `setTimeout`'s idle timer from firing
/// (checked with node on 127.0.0.1: a POST whose 12-byte body comes a byte every 100 ms, to a
/// server whose socket times out after 500 ms idle, sees no `timeout`; the server's
/// `req.socket.bytesRead` is every byte the client wrote, 98).
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPSocketActivityTests {
    @Test func aBodyArrivingCountsAndKeepsTheIdleTimerFromFiring() async throws {
        let idle = 1000
        // A timeout may fire on a loaded machine whose loop stalled longer than `idle` between
        // two pieces; it must never fire sooner than `idle` after the last byte read.
        var early: [Duration] = []
        let (server, port) = try await listeningHTTPServer { req, res in
            var lastRead = ContinuousClock.now
            req.socket.setTimeout(idle) {
                let quiet = ContinuousClock.now - lastRead
                if quiet < .milliseconds(idle - 50) { early.append(quiet) }
            }
            req.on(.data) { _ in lastRead = ContinuousClock.now }
            req.on(.end) { res.end("\(req.socket.bytesRead)") }
        }
        defer { server.close() }
        let (counted, written): (String, Int) = try await waitFor("the answer") { done in
            let req = http.request(
                RequestOptions(
                    host: "127.0.0.1", port: port, method: "POST", headers: [("Content-Length", "25")],
                    agent: nil)
            ) { res in
                var body = ""
                res.on(.data) { body += $0.toString() }
                res.on(.end) { done((body, res.socket.bytesWritten)) }
            }
            // Two and a half times `idle` in all, a piece every tenth of it.
            var sent = 0
            let pace = setInterval(idle / 10) {
                // On a busy machine the interval fired again between `end()` and `finish`, and
                // each late write was an error nobody listened for.
                guard sent < 25 else { return }
                req.write("x")
                sent += 1
                if sent == 25 { req.end() }
            }
            req.on(.finish) { clearInterval(pace) }
        }
        #expect(early.isEmpty, "timeouts fired this soon after the last byte read: \(early)")
        #expect(counted == "\(written)", "what the server's socket counted, and what the client wrote")
        #expect(written > 25)
    }
}
