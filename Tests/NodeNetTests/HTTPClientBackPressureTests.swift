import TestSupport
import Testing

@testable import NodeNet

/// A server that floods a response body at a client that does not read it: Node 20's client
/// stops reading the socket once the response holds its high-water mark (16 KiB), and TCP holds
/// the server back (checked with node on 127.0.0.1: `res.socket.bytesRead` stays near 80 KiB of
/// a 100 MiB body while the response is paused or has no `data` listener). NodeNet's does too,
/// past the mark by at most one SwiftNIO read; reading then delivers every byte in order.
@Suite(.timeLimit(.minutes(3)))
@NodeActor struct HTTPClientBackPressureTests {
    @Test(arguments: [false, true])
    func aFloodedResponseNobodyReadsHoldsTheServerBack(paused: Bool) async throws {
        // More than loopback's socket buffers can hold (up to 32 + 4 MiB on Debian's defaults).
        let total = 100 * 1024 * 1024
        let head = "HTTP/1.1 200 OK\r\nContent-Length: \(total)\r\n\r\n"
        var writer: PatternedWriter?
        var serverSocket: Socket?
        let (server, port) = try await listeningServer { socket in
            serverSocket = socket
            socket.on(.error) { _ in }
            socket.once(.data) { _ in
                socket.write(head)
                writer = try? PatternedWriter(total: total, into: socket)
                writer?.start()
            }
        }
        defer { server.close() }
        let res: IncomingMessage = try await waitFor("the response") { done in
            // No agent: another test's `Agent.global.destroy()` would cut a pooled connection.
            let options = RequestOptions(host: "127.0.0.1", port: port, path: "/flood", agent: nil)
            let req = http.request(options) { res in
                if paused { res.pause() }
                done(res)
            }
            req.on(.error) { _ in }
            req.end()
        }
        let mark = head.utf8.count + 16 * 1024
        let limit = mark + 4 * 64 * 1024
        try await waitUntilReadingStalls(
            bytesRead: { res.socket.bytesRead }, peerHasMore: { (serverSocket?.writableLength ?? 0) > 0 },
            ready: { res.socket.bytesRead >= mark }, overLimit: { res.socket.bytesRead > limit })
        #expect(
            res.socket.bytesRead <= limit,
            "a response nobody reads took \(res.socket.bytesRead) bytes off the socket")
        let sent = try #require(writer)
        #expect(sent.offset < total, "the server must have been held back")

        let received = try await readToTheEnd { data, end in
            res.on(.data, data)
            res.on(.end, end)
            res.resume()
        }
        #expect(received.count == total)
        #expect(received.sha256 == sent.sent.digest(.hex))
    }
}
