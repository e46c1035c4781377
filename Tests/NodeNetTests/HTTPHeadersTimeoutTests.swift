import NodeNet
import TestSupport
import Testing

/// `headersTimeout` as Node 20 runs it: from the moment a connection is accepted (after the TLS
/// handshake for HTTPS), and again from the first byte of each later request, whatever
/// `requestTimeout` says. A client that owes a head past it gets `408` and is cut off.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPHeadersTimeoutTests {
    @Test func aConnectionThatSendsNothingGets408() async throws {
        let (server, port) = try await listeningHTTPServer(.crowdedMachineHeadClock)
        defer { server.close() }
        let idle = RawConnection(port: port)
        #expect(try await idle.closedByServer(within: 30) == requestTimeoutReply)
        try await expectStillServes(port)
    }

    @Test func halfAHeadTimesOutWhenRequestTimeoutIsOff() async throws {
        var headOnly = HTTPServerOptions.crowdedMachineHeadClock
        headOnly.requestTimeout = 0
        let (server, port) = try await listeningHTTPServer(headOnly)
        defer { server.close() }
        let slow = RawConnection(port: port)
        slow.socket.write("GET / HTTP/1.1\r\nHo")
        #expect(try await slow.closedByServer(within: 30) == requestTimeoutReply)
        try await expectStillServes(port)
    }

    @Test func nodesDefaultFollowsRequestTimeout() {
        #expect(http.createServer(HTTPServerOptions()) { _, _ in }.headersTimeout == 60_000)
        #expect(http.createServer(HTTPServerOptions(requestTimeout: 1000)) { _, _ in }.headersTimeout == 1000)
        #expect(http.createServer(HTTPServerOptions(requestTimeout: 0)) { _, _ in }.headersTimeout == 0)
        let both = HTTPServerOptions(headersTimeout: 500, requestTimeout: 0)
        #expect(http.createServer(both) { _, _ in }.headersTimeout == 500)
    }

    @Test func aSecondRequestThatStallsGets408AfterTheFirstIsAnswered() async throws {
        let (server, port) = try await listeningHTTPServer(.crowdedMachineHeadClock)
        defer { server.close() }
        let client = RawConnection(port: port)
        client.socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        try await waitFor("the first answer") { done in
            client.socket.on(.data) { _ in if client.received.hasSuffix("ok") { done() } }
        }
        client.socket.write("GET /second HTTP/1.1\r\nHo")
        let reply = try await client.closedByServer(within: 30)
        #expect(reply.hasSuffix("\r\n\r\nok" + requestTimeoutReply))
        try await expectStillServes(port)
    }

    @Test func aStalledRequestRightBehindAnotherGets408() async throws {
        let (server, port) = try await listeningHTTPServer(.crowdedMachineHeadClock)
        defer { server.close() }
        let client = RawConnection(port: port)
        // Both in one write: the second request's first bytes arrive with the first request.
        client.socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHo")
        let reply = try await client.closedByServer(within: 30)
        #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(reply.hasSuffix("\r\n\r\nok" + requestTimeoutReply))
        try await expectStillServes(port)
    }

    /// The second request begins before the decoder has reported the end of the first one's body:
    /// that end must not stop the second request's clocks.
    @Test func aStalledRequestRightBehindABodyGets408() async throws {
        let (server, port) = try await listeningHTTPServer(.crowdedMachineHeadClock)
        defer { server.close() }
        let client = RawConnection(port: port)
        client.socket.write(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nabPOST /second HTTP/1.1\r\nHo")
        let reply = try await client.closedByServer(within: 30)
        #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(reply.hasSuffix("\r\n\r\nok" + requestTimeoutReply), "\(reply)")
        try await expectStillServes(port)
    }

    @Test func anIdleHTTPSConnectionGets408OverTLS() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, connect) = try await listeningHTTPSServer(certs, .crowdedMachineHeadClock)
        defer { server.close() }
        let port = server.address()!.port
        let idle = try await connect()
        #expect(try await idle.closedByServer(within: 30) == requestTimeoutReply)
        let honest: String = try await waitFor("an honest HTTPS request") { done in
            var options = RequestOptions()
            options.tls = TLSOptions(ca: [certs.caCert])
            options.agent = nil
            https.get("https://localhost:\(port)/", options) { res in
                res.on(.data) { done($0.toString()) }
            }
        }
        #expect(honest == "ok")
    }

    /// The clock starts when the handshake ends, not at accept: a relay connects at once but
    /// holds the client's ClientHello for longer than `headersTimeout`; the request that follows
    /// the late handshake is still served.
    @Test func anHTTPSConnectionOwesItsHeadFromTheEndOfItsHandshake() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, _) = try await listeningHTTPSServer(certs, HTTPServerOptions(headersTimeout: 1000))
        defer { server.close() }
        let (relay, relayPort) = try await listeningServer { client in
            let upstream = net.connect(server.address()!.port, "127.0.0.1")
            var held: [Buffer]? = []
            client.on(.data) { data in if held != nil { held!.append(data) } else { upstream.write(data) } }
            upstream.on(.data) { client.write($0) }
            for socket in [client, upstream] { socket.on(.error) { _ in } }
            client.on(.close) { _ in upstream.destroy() }
            upstream.on(.close) { _ in client.destroy() }
            setTimeout(1500) {
                for data in held ?? [] { upstream.write(data) }
                held = nil
            }
        }
        defer { relay.close() }
        let socket = tls.connect(relayPort, "localhost", TLSOptions(ca: [certs.caCert]))
        let late = RawConnection(socket)
        let secured: Bool = try await waitFor("the late handshake, or the connection's end") { done in
            socket.once(.secureConnect) { done(true) }
            socket.once(.close) { _ in done(false) }
        }
        try #require(secured, "the server cut the connection before its handshake ended")
        socket.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(try await late.closedByServer(within: 30).hasSuffix("\r\n\r\nok"))
    }
}
