import NodeNet
import TestSupport
import Testing

/// Clients that try to wear an HTTP server out: too slow, silent, greedy or rude. Each attack is
/// bounded (so many bytes, so many connections, so many seconds) and each test ends by checking
/// that the same server still answers an honest client. The 16 MiB of answers wait until their
/// bytes stop (`waitForTransfer`), under a limit long enough for a whole run on two cores.
@Suite(.timeLimit(.minutes(3)))
@NodeActor struct HostilePeerHTTPTests {
    /// A slowloris: a head sent one byte every `interval` ms, never finished. `headersTimeout`
    /// ends it, however steadily bytes come.
    private func dribble(_ connection: RawConnection, interval: Int) async throws {
        let head =
            Array("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8)
            + Array(repeating: UInt8(ascii: "a"), count: 100)
        for byte in head where !connection.closed {
            try await waitFor("\(interval) ms") { done in _ = setTimeout(interval, done) }
            connection.socket.write(Buffer([byte]))
        }
    }

    @Test func slowlorisIsCutAtHeadersTimeout() async throws {
        let (server, port) = try await listeningHTTPServer(.crowdedMachineHeadClock)
        defer { server.close() }
        let slow = RawConnection(port: port)
        try await dribble(slow, interval: 50)
        #expect(try await slow.closedByServer(within: 30) == requestTimeoutReply)
        try await expectStillServes(port)
    }

    @Test func slowlorisOverTLSIsCutAtHeadersTimeout() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, connect) = try await listeningHTTPSServer(certs, .crowdedMachineHeadClock)
        defer { server.close() }
        let slow = try await connect()
        try await dribble(slow, interval: 50)
        #expect(try await slow.closedByServer(within: 30) == requestTimeoutReply)
        let honest = try await connect()
        honest.socket.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(try await honest.closedByServer(within: 30).hasSuffix("\r\n\r\nok"))
    }

    @Test func manyIdleConnectionsAreAllClosedWhileAnHonestClientIsServed() async throws {
        let (server, port) = try await listeningHTTPServer(.crowdedMachineHeadClock)
        defer { server.close() }
        let idle = (0..<20).map { _ in RawConnection(port: port) }
        try await expectStillServes(port)
        for connection in idle {
            #expect(try await connection.closedByServer(within: 30) == requestTimeoutReply)
        }
        try await expectStillServes(port)
    }

    /// A client that pipelines requests and never reads the answers. The server would queue them
    /// without end; like Node it stops reading instead, until the client catches up.
    @Test func aClientThatNeverReadsMakesTheServerStopReading() async throws {
        // 16 MiB of answers: more than the kernel's socket buffers on both sides hold (some MiB).
        let requests = 32
        let answer = Buffer.alloc(512 * 1024, fill: 0x61)
        var served = 0
        var servedWhenPaused: Int?
        var pausedReached: (@NodeActor () -> Void)?
        let (server, port) = try await listeningHTTPServer { req, res in
            served += 1
            res.end(answer)
            if servedWhenPaused == nil && req.socket.isPaused() {
                servedWhenPaused = served
                pausedReached?()
            }
        }
        defer { server.close() }
        let greedy = net.connect(port, "127.0.0.1")
        greedy.pause()
        let pad = "X-Pad: \(String(repeating: "p", count: 1000))\r\n"
        for _ in 1..<requests { greedy.write("GET / HTTP/1.1\r\nHost: x\r\n\(pad)\r\n") }
        // The last one asks the server to close once it is answered: the end of the answers.
        greedy.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\(pad)\r\n")
        try await waitFor("the server to stop reading", seconds: 20) { done in
            if servedWhenPaused != nil { done() } else { pausedReached = done }
        }
        // Node pauses as soon as the socket is behind, so only the answers the kernel could take
        // (some MiB) were made while the client did not read.
        #expect(servedWhenPaused! < requests * 2 / 3)
        // Reading the answers lets the server go on: every request is answered, in full.
        let received: Int = try await waitForTransfer("every answer") { done, progress in
            var count = 0
            greedy.on(.data) {
                count += $0.count
                progress()
            }
            greedy.on(.close) { _ in done(count) }
            greedy.resume()
        }
        #expect(received > requests * answer.count)
        #expect(served == requests)
        try await expectStillServes(port)
    }

    @Test func aClientThatResetsInTheMiddleOfAnAnswerLeavesTheServerServing() async throws {
        let chunk = Buffer.alloc(65536, fill: 0x62)
        var finishedWhenClosed: Bool?
        let responseClosed = Countdown(1)
        let (server, port) = try await listeningHTTPServer { req, res in
            guard req.url == "/big" else { return res.end("ok") }
            res.on(.close) {
                finishedWhenClosed = res.writableFinished
                responseClosed.tick()
            }
            res.setHeader("Content-Length", "\(chunk.count * 512)")
            var sent = 0
            @NodeActor func pump() {
                while sent < 512 {
                    sent += 1
                    if !res.write(chunk) {
                        res.once(.drain) { pump() }
                        return
                    }
                }
                res.end()
            }
            pump()
        }
        defer { server.close() }
        let rude = net.connect(port, "127.0.0.1")
        var received = 0
        rude.on(.data) { data in
            received += data.count
            // A quarter of a megabyte into 32 MiB: RST, with the server still writing.
            if received > 256 * 1024 { rude.resetAndDestroy() }
        }
        rude.write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        try await waitFor("the response's close") { done in
            if finishedWhenClosed != nil { done() } else { responseClosed.whenDone = done }
        }
        #expect(finishedWhenClosed == false)
        try await expectStillServes(port)
    }
}
