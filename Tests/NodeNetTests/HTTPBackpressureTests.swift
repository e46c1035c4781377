import NodeNet
import TestSupport
import Testing

/// A response larger than the socket takes at once: `write` says when to wait, `drain` when to go
/// on, and nothing is lost; a paused request keeps its body until it is read.
/// Each wait here fails when the bytes stop, not when they are slow (`waitForTransfer`), under a
/// longer limit: in a whole run on two cores, 8 MiB can take a minute on the shared loop.
@Suite(.timeLimit(.minutes(3)))
@NodeActor struct HTTPBackpressureTests {
    private let chunk = Buffer.alloc(65536, fill: 0x61)
    private let chunks = 128  // 8 MiB

    @Test func writeReturnsFalseThenDrainLetsTheRestGo() async throws {
        let log = EventLog()
        let (server, port) = try await listeningHTTPServer { [chunk, chunks] _, res in
            res.setHeader("Content-Length", "\(chunk.count * chunks)")
            var sent = 0
            @NodeActor func pump() {
                while sent < chunks {
                    sent += 1
                    if !res.write(chunk) {
                        log.add("write returned false")
                        res.once(.drain) {
                            log.add("drain")
                            pump()
                        }
                        return
                    }
                }
                res.end()
            }
            pump()
        }
        let received: Int = try await waitForTransfer("the whole body") { done, progress in
            let socket = net.connect(port)
            var count = 0
            var headEnded = false
            socket.on(.data) { data in
                progress()
                if !headEnded {
                    let text = data.toString()
                    guard let end = text.firstRange(of: "\r\n\r\n") else { return }
                    headEnded = true
                    count += text.utf8[end.upperBound...].count
                } else {
                    count += data.count
                }
                if count == chunk.count * chunks {
                    socket.destroy()
                    done(count)
                }
            }
            socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        }
        #expect(received == chunk.count * chunks)
        #expect(log.entries.first == "write returned false")
        #expect(log.entries.contains("drain"))
        server.close()
    }

    @Test func aPausedRequestBodyArrivesWholeWhenResumed() async throws {
        let size = chunk.count * 64
        var progress: @NodeActor () -> Void = {}
        let (server, port) = try await listeningHTTPServer { req, res in
            req.pause()
            var received = 0
            req.on(.data) {
                received += $0.count
                progress()
            }
            req.on(.end) { res.end("\(received)") }
            // The body piles up while nobody reads; reading stops, then goes on.
            setTimeout(50) { req.resume() }
        }
        let reply: String = try await waitForTransfer("reply") { [chunk] done, progressed in
            progress = progressed
            let socket = net.connect(port)
            var text = ""
            socket.on(.data) { data in
                text += data.toString()
                if text.hasSuffix("\r\n\r\n\(size)") { done(text) }
            }
            socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(size)\r\n\r\n")
            for _ in 0..<64 { socket.write(chunk) }
        }
        #expect(reply.hasSuffix("\(size)"))
        server.close()
    }
}
