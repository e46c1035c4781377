import NodeNet
import TestSupport
import Testing

/// A server that answers a client with a head too long to be honest. Node 20's client stops at
/// 16 KiB of response headers (`maxHeaderSize`, per request) with `HPE_HEADER_OVERFLOW`; each
/// case below was checked with node against the same raw server.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPClientHeaderLimitTests {
    /// A TCP server that answers each request head on a kept connection: `GET /big` with an
    /// `X-Big` header of `bigHeader` bytes, anything else with one of 10; `connections` counts
    /// the connections it took.
    private final class HeadServer {
        var connections = 0
    }

    private func headServer(bigHeader: Int) async throws -> (Server, Int, HeadServer) {
        let counts = HeadServer()
        let (server, port) = try await listeningServer { socket in
            counts.connections += 1
            socket.on(.error) { _ in }  // the client resets a connection it gave up on
            var received = ""
            socket.on(.data) { chunk in
                received += chunk.toString()
                while let end = received.range(of: "\r\n\r\n") {
                    let big = received.hasPrefix("GET /big ")
                    received = String(received[end.upperBound...])
                    let value = String(repeating: "a", count: big ? bigHeader : 10)
                    socket.write("HTTP/1.1 200 OK\r\nX-Big: \(value)\r\nContent-Length: 2\r\n\r\nok")
                }
            }
        }
        return (server, port, counts)
    }

    /// What one request to `path` ended with: `200 <length of X-Big>`, or the error's code.
    private func fetch(_ port: Int, _ path: String, maxHeaderSize: Int? = nil, agent: Agent?) async throws
        -> String
    {
        var options = RequestOptions(host: "127.0.0.1", port: port, path: path, agent: agent)
        if let maxHeaderSize { options.maxHeaderSize = maxHeaderSize }
        return try await waitFor("the answer to \(path)") { done in
            let req = http.request(options) { res in
                let length = res.headers["x-big"]?.count ?? -1
                res.on(.end) { setImmediate { done("\(res.statusCode) \(length)") } }
                res.resume()
            }
            req.on(.error) { error in setImmediate { done("\(error.code): \(error.message)") } }
            req.end()
        }
    }

    private let overflow = "HPE_HEADER_OVERFLOW: Parse Error: Header overflow"

    @Test func aHeadOverSixteenKiBFailsTheRequestWithHeaderOverflow() async throws {
        let (server, port, _) = try await headServer(bigHeader: 17000)
        defer { server.close() }
        #expect(try await fetch(port, "/big", agent: nil) == overflow)
        #expect(try await fetch(port, "/small", agent: nil) == "200 10")
    }

    @Test func sixteenThousandBytesOfHeaderAreRead() async throws {
        let (server, port, _) = try await headServer(bigHeader: 16000)
        defer { server.close() }
        #expect(try await fetch(port, "/big", agent: nil) == "200 16000")
    }

    @Test func aHeadThatNeverEndsFailsOnceItPassesTheLimit() async throws {
        // A megabyte of one header, never finished: the client must stop reading it long before.
        let (server, port) = try await listeningServer { socket in
            socket.on(.error) { _ in }  // the client resets the connection
            socket.on(.data) { _ in
                socket.write("HTTP/1.1 200 OK\r\nX-Endless: ")
                socket.write(Buffer(Array(repeating: UInt8(ascii: "a"), count: 1 << 20)))
            }
        }
        defer { server.close() }
        #expect(try await fetch(port, "/", agent: nil) == overflow)
    }

    @Test func theLimitIsEachRequestsOwnOnAKeptConnection() async throws {
        let (server, port, counts) = try await headServer(bigHeader: 17000)
        defer { server.close() }
        let agent = Agent(keepAlive: true)
        defer { agent.destroy() }
        #expect(try await fetch(port, "/small", agent: agent) == "200 10")
        #expect(try await fetch(port, "/big", maxHeaderSize: 20000, agent: agent) == "200 17000")
        #expect(counts.connections == 1)
        #expect(
            try await fetch(port, "/big", agent: agent) == overflow)
        #expect(counts.connections == 1)
        // The failed connection was destroyed; the next request gets a new one.
        #expect(try await fetch(port, "/small", agent: agent) == "200 10")
        #expect(counts.connections == 2)
    }
}
