import NodeNet
import TestSupport
import Testing

/// `server.maxConnections`: past it a connection is closed as soon as it is accepted and `drop`
/// fires, as in Node 20 (checked with node on 127.0.0.1: the client sees `connect`, then `end`;
/// an HTTP client's request fails with ECONNRESET "socket hang up", a TLS client's with ECONNRESET
/// "Client network socket disconnected before secure TLS connection was established", and a TLS
/// server emits no `tlsClientError` for it). Each test floods a server past its limit from
/// outside and ends with a normal client served once the flood has gone.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct MaxConnectionsTests {
    @Test func byDefaultThereIsNoLimit() {
        #expect(net.createServer().maxConnections == nil)
        #expect(http.createServer { _, _ in }.maxConnections == nil)
    }

    /// A TCP server that greets: two clients in, ten more dropped, each `drop` naming one of them;
    /// the two in are still served, and when one leaves, the next client gets in.
    @Test func connectionsPastTheLimitAreClosedAtOnceAndReported() async throws {
        let server = net.createServer { socket in
            socket.write("hi\n")
            socket.on(.data) { data in socket.write(data) }
        }
        server.maxConnections = 2
        var dropped: [DroppedConnection] = []
        var onDrop: (@NodeActor () -> Void)?
        server.on(.drop) { info in
            dropped.append(info)
            onDrop?()
        }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        defer { server.close() }
        let port = server.address()!.port

        let inside = [RawConnection(port: port), RawConnection(port: port)]
        for connection in inside {
            try await waitUntil("the greeting") { connection.received == "hi\n" }
        }
        let flood = (0..<10).map { _ in RawConnection(port: port) }
        for connection in flood {
            #expect(try await connection.closedByServer(within: 10) == "", "a dropped client reads nothing")
        }
        try await waitFor("ten drops") { done in
            if dropped.count == 10 { done() } else { onDrop = { if dropped.count == 10 { done() } } }
        }
        #expect(Set(dropped.map(\.remotePort)) == Set(flood.compactMap(\.socket.localPort)))
        for info in dropped {
            #expect(info.localAddress == "127.0.0.1" && info.localPort == port && info.localFamily == "IPv4")
            #expect(info.remoteAddress == "127.0.0.1" && info.remoteFamily == "IPv4")
        }
        let count: Int = try await waitFor("getConnections") { done in
            server.getConnections { _, n in done(n) }
        }
        #expect(count == 2, "dropped connections are never counted")

        inside[0].socket.write("still here")
        try await waitUntil("the echo") { inside[0].received == "hi\nstill here" }
        inside[1].socket.destroy()
        try await connections(of: server, toBe: 1)
        let next = RawConnection(port: port)
        try await waitUntil("the next client's greeting") { next.received == "hi\n" }
        #expect(dropped.count == 10)
        inside[0].socket.destroy()
        next.socket.destroy()
    }

    /// An HTTP server at its limit, held by clients that send half a head: fifty more connections
    /// are dropped before a byte is parsed (a request on one fails as in Node), and once the
    /// holders leave, an honest client is served.
    @Test func anHTTPServerAtItsLimitDropsAFloodAndServesOnceItHasGone() async throws {
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        server.maxConnections = 5
        var drops = 0
        server.on(.drop) { _ in drops += 1 }
        let holders = (0..<5).map { _ in RawConnection(port: port) }
        for holder in holders { holder.socket.write("GET / HTTP/1.1\r\nHost: x\r\n") }
        try await connections(of: server, toBe: 5)
        let flood = (0..<50).map { _ in RawConnection(port: port) }
        for connection in flood {
            connection.socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.closedByServer(within: 10) == "", "no answer, not even an error")
        }
        #expect(drops == 50)

        let refused: NodeError = try await waitFor("the request's error") { done in
            let request = http.request(
                RequestOptions(host: "127.0.0.1", port: port, agent: nil))
            request.on(.error) { error in done(error) }
            request.end()
        }
        #expect(refused.code == "ECONNRESET" && refused.message == "socket hang up")

        for holder in holders { holder.socket.destroy() }
        try await connections(of: server, toBe: 0)
        try await expectStillServes(port)
    }

    /// curl, a client nobody here wrote, against an HTTP server at its limit: no HTTP answer at
    /// all (curl's 52 "Empty reply from server" or 56 "Connection reset by peer", depending on
    /// whether its request arrived before the close; against Node 20's server at its limit it
    /// printed 56), then `ok` once the connection holding the place has gone.
    @Test func curlGetsNoAnswerAtTheLimitAndOkOnceAPlaceIsFree() async throws {
        let curl = try requirePeer("curl")
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        server.maxConnections = 1
        let arguments = ["--silent", "--show-error", "--max-time", "10", "http://127.0.0.1:\(port)/"]
        let holder = RawConnection(port: port)
        try await connections(of: server, toBe: 1)
        let refused = try await runPeer(curl, arguments, in: folder.url)
        #expect([52, 56].contains(refused.status) && refused.output.isEmpty, "\(refused)")
        holder.socket.destroy()
        try await connections(of: server, toBe: 0)
        let served = try await runPeer(curl, arguments, in: folder.url)
        #expect(served.status == 0 && served.output == "ok", "\(served)")
    }

    /// A TLS server drops before the handshake: the client's error is Node's, and the server has
    /// no `tlsClientError` to report.
    @Test func aTLSServerDropsBeforeTheHandshake() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try tls.createServer(TLSOptions(key: certs.serverKey, cert: certs.serverCert)) {
            socket in
            socket.write("hi\n")
        }
        server.maxConnections = 1
        var clientErrors = 0
        server.on(.tlsClientError) { _, _ in clientErrors += 1 }
        var drops = 0
        server.on(.drop) { _ in drops += 1 }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        defer { server.close() }
        let port = server.address()!.port

        let first = RawConnection(tls.connect(port, "localhost", TLSOptions(ca: [certs.caCert])))
        try await waitUntil("the first client's greeting") { first.received == "hi\n" }
        let error: NodeError = try await waitFor("the second client's error") { done in
            let second = tls.connect(port, "localhost", TLSOptions(ca: [certs.caCert]))
            second.on(.error) { error in done(error) }
        }
        #expect(error.code == "ECONNRESET")
        #expect(
            error.message == "Client network socket disconnected before secure TLS connection was established"
        )
        #expect(drops == 1 && clientErrors == 0)

        first.socket.destroy()
        try await connections(of: server, toBe: 0)
        let next = RawConnection(tls.connect(port, "localhost", TLSOptions(ca: [certs.caCert])))
        try await waitUntil("the next client's greeting") { next.received == "hi\n" }
        next.socket.destroy()
    }

    /// Waits until `server` counts `count` open connections (it learns of a close a turn later).
    private func connections(of server: Server, toBe count: Int) async throws {
        try await waitFor("\(count) open connections") { done in
            @NodeActor func look() {
                server.getConnections { _, open in if open == count { done() } else { setTimeout(20, look) } }
            }
            look()
        }
    }
}
