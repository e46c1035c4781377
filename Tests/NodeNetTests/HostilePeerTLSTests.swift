import NodeNet
import TestSupport
import Testing

/// A TLS peer that means harm, over real sockets, against an HTTPS server: bytes that are no
/// ClientHello, records longer than TLS allows, a connection reset in the middle of the handshake
/// and in the middle of a response. Each failure stays with its connection, and the same server
/// then answers a normal client.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HostilePeerTLSTests {
    /// An HTTPS server on a free port: `/big` is 8 MiB, anything else `ok`.
    private func server(_ certs: TestCertificates) async throws -> (HTTPSServer, Int) {
        let big = Buffer([UInt8](repeating: 0x78, count: 8 << 20))
        let server = try https.createServer(TLSOptions(key: certs.serverKey, cert: certs.serverCert)) {
            req, res in
            res.end(req.url == "/big" ? big : Buffer("ok"))
        }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        return (server, server.address()!.port)
    }

    private func expectServesANormalClient(_ port: Int, _ certs: TestCertificates) async throws {
        var options = RequestOptions(agent: nil)
        options.tls = TLSOptions(ca: [certs.caCert])
        let body: String = try await waitFor("a normal client's answer", seconds: 30) { done in
            let request = https.get("https://localhost:\(port)/", options) { res in
                var body = ""
                res.on(.data) { body += $0.toString() }
                res.on(.end) { done("\(res.statusCode) \(body)") }
            }
            request.on(.error) { done("error \($0.code)") }
        }
        #expect(body == "200 ok")
    }

    /// Bytes no TLS client sends, the same in every run: a small linear congruential generator.
    private func noise(_ count: Int) -> [UInt8] {
        var state: UInt32 = 12
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    /// Random bytes; a handshake record header announcing 65,535 bytes (TLS allows 16 KiB and a
    /// little); a record header of an unknown content type.
    @Test(arguments: [0, 1, 2])
    func bytesThatAreNoClientHelloAreRefusedWithTheirOwnConnection(kind: Int) async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await server(certs)
        defer { server.close() }
        let bytes: [UInt8] =
            switch kind {
            case 0: noise(4096)
            case 1: [0x16, 0x03, 0x01, 0xFF, 0xFF] + noise(1024)
            default: [0x42, 0x03, 0x03, 0x00, 0x10] + noise(16)
            }
        let (error, closed): (NodeError, Bool) = try await waitFor("the refusal", seconds: 30) { done in
            var refusal: NodeError?
            server.once(.tlsClientError) { error, _ in refusal = error }
            let peer = net.connect(port, "127.0.0.1")
            peer.on(.error) { _ in }
            peer.on(.data) { _ in }  // an alert, perhaps
            peer.on(.close) { _ in
                done((refusal ?? NodeError(code: "none", message: "closed with no tlsClientError"), true))
            }
            peer.write(Buffer(bytes))
        }
        #expect(error.code.hasPrefix("ERR_SSL_"), "\(error.code): \(error.message)")
        #expect(closed)
        try await expectServesANormalClient(port, certs)
    }

    @Test func aPeerThatResetsInTheMiddleOfTheHandshake() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await server(certs)
        defer { server.close() }
        // A relay between a real TLS client and the server: it passes the ClientHello on, and
        // once the server has answered it, resets the server's connection (an RST, not a FIN).
        let (relay, relayPort) = try await listeningServer { client in
            let upstream = net.connect(port, "127.0.0.1")
            upstream.on(.error) { _ in }
            client.on(.error) { _ in }
            client.on(.data) { upstream.write($0) }
            upstream.on(.data) { _ in
                upstream.resetAndDestroy()
                client.destroy()
            }
        }
        defer { relay.close() }
        let serverSaw: NodeError = try await waitFor("the server's tlsClientError", seconds: 30) { done in
            server.once(.tlsClientError) { error, _ in done(error) }
            let client = tls.connect(relayPort, "localhost", TLSOptions(ca: [certs.caCert]))
            client.on(.error) { _ in }
        }
        #expect(serverSaw.code == "ECONNRESET", "\(serverSaw.message)")
        try await expectServesANormalClient(port, certs)
    }

    @Test func aPeerThatResetsWhileTheServerWritesAResponse() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await server(certs)
        defer { server.close() }
        // 8 MiB do not fit in the socket buffers: the server is still writing when the RST comes.
        let finished: Bool = try await waitFor("the response's close", seconds: 30) { done in
            server.once(.request) { _, res in res.once(.close) { done(res.writableFinished) } }
            let client = tls.connect(port, "localhost", TLSOptions(ca: [certs.caCert])) {}
            client.on(.error) { _ in }
            client.once(.secureConnect) { client.write("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n") }
            client.once(.data) { _ in client.resetAndDestroy() }
        }
        #expect(!finished, "the response could not have been sent whole")
        try await expectServesANormalClient(port, certs)
    }

    /// A client that floods a TLS server's socket nobody reads (or a paused one) with 100 MiB:
    /// the socket stops at its high-water mark as a plain one does (decrypted bytes count, past
    /// the mark by at most one SwiftNIO read), TCP holds the client back, and reading then
    /// delivers every byte in order.
    @Test(.timeLimit(.minutes(3)), arguments: [false, true])
    func aFloodOfAPausedTLSSocketHoldsThePeerBack(paused: Bool) async throws {
        let certs = try await TestCertificates.forTest()
        let server = try tls.createServer(TLSOptions(key: certs.serverKey, cert: certs.serverCert)) {
            socket in
            if paused { socket.pause() }
        }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        defer { server.close() }
        let client = tls.connect(server.address()!.port, "localhost", TLSOptions(ca: [certs.caCert]))
        client.on(.error) { _ in }
        let writer = try PatternedWriter(total: 100 * 1024 * 1024, into: client)
        client.on(.secureConnect) { writer.start() }
        let socket: TLSSocket = try await waitFor("a secure connection") { done in
            server.once(.secureConnection, done)
        }
        try await expectFloodHeldBack(reader: socket, writer: writer, from: client)
    }

    @Test func writesBeforeAHandshakeThatNeverEndsStopAtTheHighWaterMark() async throws {
        // A server that accepts and never answers the ClientHello: the writes wait for the
        // handshake, and count. Node 20, the same program (writing at `connect`): the 4th write
        // of 4096 bytes returns false, with writableLength 16384.
        let (silent, port) = try await listeningServer { socket in socket.on(.data) { _ in } }
        defer { silent.close() }
        let client = tls.connect(port, "127.0.0.1", TLSOptions(rejectUnauthorized: false))
        defer { client.destroy() }
        client.on(.error) { _ in }
        // Once TCP has connected, so that the writes wait in the TLS layer, not for the socket.
        try await waitFor("the TCP connection") { done in client.once(.connect, done) }
        let chunk = Buffer.alloc(4096)
        var writes = 0
        while writes < 1000 {
            writes += 1
            if !client.write(chunk) { break }
        }
        #expect(writes == 4)
        #expect(client.writableLength == 16384)
        #expect(client.writableNeedDrain)
    }
}
