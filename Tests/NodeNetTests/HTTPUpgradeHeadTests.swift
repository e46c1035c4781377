import NodeNet
import TestSupport
import Testing

/// Which requests are upgrades, and what the `upgrade` listener gets: the server must read a
/// head exactly as its parser (llhttp, under both Node and SwiftNIO) does, or the connection is
/// split between the listener and the parser. Each expectation is node 20's answer to the same
/// bytes on 127.0.0.1.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPUpgradeHeadTests {
    /// An `Upgrade:` line without a value is no upgrade to llhttp: node 20 answers both pipelined
    /// requests and keeps the connection. Taken for one, the socket went to the `upgrade`
    /// listener while SwiftNIO's decoder answered the second request on it.
    @Test(arguments: ["", " \t "]) func anUpgradeLineWithoutAValueIsNoUpgrade(value: String) async throws {
        var upgrades = 0
        let (server, port) = try await listeningHTTPServer { req, res in res.end("<\(req.url)>") }
        server.on(.upgrade) { _, socket, _ in
            upgrades += 1
            socket.end("HTTP/1.1 400 Bad Request\r\n\r\n")
        }
        defer { server.close() }
        let requests =
            "GET /1 HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade:\(value)\r\n\r\n"
            + "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
        let reply = try await rawExchange(port, requests) { $0.hasSuffix("</2>") }
        let bodies = reply.text.components(separatedBy: "\r\n\r\n").dropFirst().map { $0.prefix(4) }
        #expect(bodies == ["</1>", "</2>"], "\(reply.text)")
        #expect(!reply.text.contains("400"))
        #expect(upgrades == 0)
    }
}
