import NodeNet
import TestSupport
import Testing

/// `maxHeadersCount`: header lines past it are dropped, as Node drops them (observed on Node
/// 20.20.2: with the option unset it keeps 1000 lines; set to 10, ten; 0 keeps all).
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPHeaderCountTests {
    /// `Host`, then `count` lines `a: b`, then `z: last`.
    private func request(_ count: Int) -> String {
        "GET / HTTP/1.1\r\nHost: x\r\n" + String(repeating: "a: b\r\n", count: count) + "z: last\r\n\r\n"
    }

    /// What the server saw of `request(count)`: `a` lines kept, whether `z` was, raw lines.
    private func seen(_ count: Int, _ options: HTTPServerOptions) async throws -> (Int, Bool, Int) {
        let (server, port) = try await listeningHTTPServer(options) { req, res in
            let kept = req.headersDistinct["a"]?.count ?? 0
            #expect(req.headers["a"]?.split(separator: ",").count ?? 0 == kept)
            res.end("\(kept) \(req.headers["z"] != nil) \(req.rawHeaders.count / 2) .")
        }
        defer { server.close() }
        let reply = try await rawExchange(port, request(count)) { $0.hasSuffix(" .") }
        let words = reply.text.split(separator: "\r\n\r\n").last?.split(separator: " ") ?? []
        try #require(words.count == 4, "\(reply.text.suffix(80))")
        return (Int(words[0])!, words[1] == "true", Int(words[2])!)
    }

    @Test func byDefaultTheFirstThousandLinesAreKept() async throws {
        let (a, z, raw) = try await seen(2500, HTTPServerOptions())
        #expect(a == 999, "Host is the first of the thousand")
        #expect(!z)
        #expect(raw == 1000)
    }

    @Test func maxHeadersCountIsAnOption() async throws {
        let (ten, zAfterTen, _) = try await seen(20, HTTPServerOptions(maxHeadersCount: 10))
        #expect(ten == 9)
        #expect(!zAfterTen)
        let (all, zKept, raw) = try await seen(2500, HTTPServerOptions(maxHeadersCount: 0))
        #expect(all == 2500)
        #expect(zKept)
        #expect(raw == 2502)
    }

    @Test func eightThousandRepeatsOfOneHeaderAreServed() async throws {
        // 8,000 lines fit in 16 KiB (names and values are counted, not the line ends); the
        // values are joined once, not copied again for every repeat.
        let (a, _, _) = try await seen(8000, HTTPServerOptions(maxHeadersCount: 0))
        #expect(a == 8000)
    }

    @Test func aClientKeepsTheFirstThousandLinesOfAResponse() async throws {
        let (server, port) = try await listeningServer { socket in
            socket.on(.data) { _ in
                socket.write(
                    "HTTP/1.1 200 OK\r\n" + String(repeating: "a: b\r\n", count: 2500)
                        + "Content-Length: 0\r\n\r\n")
            }
        }
        defer { server.close() }
        let res: IncomingMessage = try await waitFor("response") { done in
            var options = RequestOptions(host: "127.0.0.1", port: port, agent: nil)
            options.maxHeadersCount = 1000
            http.request(options, done).end()
        }
        #expect(res.headersDistinct["a"]?.count == 1000)
        #expect(res.headers["content-length"] == nil)
    }
}
