import Foundation
import NodeNet
import TestSupport
import Testing

/// `tls` on the system OpenSSL: handshakes, verification and its failures, both protocol
/// versions, mutual TLS, and plaintext through it, with our own client and server.
/// A long transfer here waits until its bytes stop (`waitForTransfer`), under a limit long enough
/// for a whole run on two cores, where it shares the one loop with some 700 tests.
@Suite(.timeLimit(.minutes(3)))
@NodeActor struct TLSTests {
    /// A TLS echo server on a free port.
    private func echoServer(_ options: TLSOptions) async throws -> (TLSServer, Int) {
        let server = try tls.createServer(options) { socket in
            socket.on(.data) { socket.write($0) }
        }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        return (server, server.address()!.port)
    }

    private func serverOptions(_ certs: TestCertificates) -> TLSOptions {
        TLSOptions(key: certs.serverKey, cert: certs.serverCert)
    }

    /// Connects and returns the socket once it is secure, or the error that ended it.
    private func connect(_ port: Int, _ options: TLSOptions, host: String = "localhost") async throws
        -> Result<
            TLSSocket, NodeError
        >
    {
        let socket = tls.connect(port, host, options)
        return try await waitFor("secureConnect or error") { done in
            socket.once(.secureConnect) { done(.success(socket)) }
            socket.once(.error) { done(.failure($0)) }
        }
    }

    /// The code of the error that refused the connection, or nil if it was accepted.
    private func refusal(_ port: Int, _ options: TLSOptions, host: String = "localhost") async throws
        -> String?
    {
        let result = try await connect(port, options, host: host)
        guard case .failure(let error) = result else {
            if case .success(let socket) = result { socket.destroy() }
            return nil
        }
        return error.code
    }

    @Test func aTrustedServerIsAuthorizedAndEchoes() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        let socket = try await connect(port, TLSOptions(ca: [certs.caCert])).get()
        #expect(socket.authorized)
        #expect(socket.authorizationError == nil)
        #expect(socket.getProtocol() == "TLSv1.3")
        let certificate = try #require(socket.getPeerCertificate())
        #expect(certificate.subject == "CN=localhost")
        #expect(certificate.subjectAltName == "DNS:localhost, IP Address:127.0.0.1")
        #expect(certificate.issuer == "CN=NodeNet Test CA")
        #expect(socket.encrypted)
        let echo: String = try await waitFor("echo") { done in
            socket.once(.data) { done($0.toString()) }
            socket.write("你好，TLS")
        }
        #expect(echo == "你好，TLS")
        socket.end()
    }

    @Test func oneWriteOfSeveralOpenSSLPiecesArrivesWholeAndInOrder() async throws {
        // OpenSSL takes at most 1 MiB per call here (its counts are 32-bit): a write of 3 MiB
        // and a little goes through in four pieces, and must come out as it went in.
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        let socket = try await connect(port, TLSOptions(ca: [certs.caCert])).get()
        // A period of 251 bytes, which no piece size divides: a piece out of order would show.
        // (Built by the period, not byte by byte: the test runs on the loop every test shares,
        // and a debug build's map over 3 MiB held it for a second.)
        let period = Array(0..<UInt8(251))
        var bytes: [UInt8] = []
        while bytes.count < (3 << 20) + 5 { bytes += period }
        let sent = Buffer(bytes[..<((3 << 20) + 5)])
        let echoed: Buffer = try await waitForTransfer("the echo of 3 MiB") { done, progress in
            var received: [Buffer] = []
            var count = 0
            socket.on(.data) { chunk in
                progress()
                received.append(chunk)
                count += chunk.count
                if count >= sent.count { done(Buffer.concat(received)) }
            }
            socket.write(sent)
        }
        #expect(echoed.count == sent.count)
        let digest = { (data: Buffer) in try crypto.createHash("sha256").update(data).digest(.hex) }
        #expect(try digest(echoed) == digest(sent))
        socket.end()
    }

    @Test func tls12IsNegotiatedWhenTheClientOffersNoMore() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        let socket = try await connect(port, TLSOptions(ca: [certs.caCert], maxVersion: "TLSv1.2")).get()
        #expect(socket.getProtocol() == "TLSv1.2")
        socket.destroy()
    }

    @Test func anUntrustedServerIsRefused() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        // Trusting another CA: the server's certificate leads to nothing we trust.
        #expect(
            try await refusal(port, TLSOptions(ca: [certs.otherCACert])) == "UNABLE_TO_VERIFY_LEAF_SIGNATURE")
    }

    @Test func aSelfSignedServerIsRefused() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(
            TLSOptions(key: certs.selfSignedKey, cert: certs.selfSignedCert))
        defer { server.close() }
        #expect(
            try await refusal(port, TLSOptions(ca: [certs.caCert])) == "DEPTH_ZERO_SELF_SIGNED_CERT",
            "a self-signed certificate was accepted")
    }

    @Test func theWrongHostNameIsRefused() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        #expect(
            try await refusal(port, TLSOptions(ca: [certs.caCert], servername: "example.com"))
                == "ERR_TLS_CERT_ALTNAME_INVALID", "a certificate for localhost was accepted for example.com")
    }

    @Test func aCustomCheckServerIdentityDecides() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        var options = TLSOptions(ca: [certs.caCert])
        // Pinning, say: only a certificate with this fingerprint will do.
        options.checkServerIdentity = { _, certificate in
            certificate.fingerprint256 == "00"
                ? nil : NodeError(code: "ERR_PINNED", message: "not the certificate we pinned")
        }
        #expect(try await refusal(port, options) == "ERR_PINNED", "the custom check was not asked")
    }

    @Test func withoutRejectUnauthorizedTheConnectionGoesOnButSaysWhy() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        let socket = try await connect(
            port, TLSOptions(ca: [certs.otherCACert], rejectUnauthorized: false)
        ).get()
        #expect(!socket.authorized)
        #expect(socket.authorizationError == "UNABLE_TO_VERIFY_LEAF_SIGNATURE")
        socket.destroy()
    }

    @Test func anIPAddressIsCheckedAgainstTheIPAltName() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        let socket = try await connect(port, TLSOptions(ca: [certs.caCert]), host: "127.0.0.1").get()
        #expect(socket.authorized)
        socket.destroy()
    }

    /// A server that asks for a client certificate from the test CA, listening.
    private func mutualTLSServer(_ certs: TestCertificates) async throws -> TLSServer {
        var options = serverOptions(certs)
        options.ca = [certs.caCert]
        options.requestCert = true
        let server = try tls.createServer(options)
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        return server
    }

    @Test func mutualTLSAuthorizesAClientWithACertificateFromTheCA() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try await mutualTLSServer(certs)
        defer { server.close() }
        let serverSide: TLSSocket = try await waitFor("secureConnection") { done in
            server.once(.secureConnection, done)
            tls.connect(
                server.address()!.port, "localhost",
                TLSOptions(key: certs.clientKey, cert: certs.clientCert, ca: [certs.caCert]))
        }
        #expect(serverSide.authorized)
        #expect(serverSide.getPeerCertificate()?.subject == "CN=student")
        serverSide.destroy()
    }

    @Test func mutualTLSRefusesAClientWithoutACertificate() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try await mutualTLSServer(certs)
        defer { server.close() }
        let log = EventLog()
        try await waitFor("both errors") { done in
            let both = Countdown(2)
            both.whenDone = done
            server.once(.tlsClientError) { error, _ in
                log.add("server \(error.code)")
                both.tick()
            }
            let client = tls.connect(server.address()!.port, "localhost", TLSOptions(ca: [certs.caCert]))
            client.once(.error) { error in
                log.add("client \(error.code)")
                both.tick()
            }
        }
        // As Node 20 reports it on each side (TLS 1.3: the client learns after its handshake).
        #expect(log.entries.contains("server ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE"))
        #expect(log.entries.contains("client ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED"))
    }

    @Test func aServerThatAsksButDoesNotRequireSaysWhyAClientIsNotAuthorized() async throws {
        let certs = try await TestCertificates.forTest()
        var options = serverOptions(certs)
        options.ca = [certs.caCert]
        options.requestCert = true
        options.rejectUnauthorized = false
        let server = try tls.createServer(options)
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        defer { server.close() }
        let serverSide: TLSSocket = try await waitFor("secureConnection") { done in
            server.once(.secureConnection, done)
            tls.connect(server.address()!.port, "localhost", TLSOptions(ca: [certs.caCert]))
        }
        // As Node 20 reports a client that sent no certificate.
        #expect(!serverSide.authorized)
        #expect(serverSide.authorizationError == "UNABLE_TO_GET_ISSUER_CERT")
        serverSide.destroy()
    }

    @Test func sixteenMebibytesBothWaysArriveIntact() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        let socket = try await connect(port, TLSOptions(ca: [certs.caCert])).get()
        let sent = crypto.randomBytes(16 << 20)
        let received: Buffer = try await waitForTransfer("the echo") { done, progress in
            var chunks: [Buffer] = []
            var count = 0
            socket.on(.data) { chunk in
                progress()
                chunks.append(chunk)
                count += chunk.count
                if count == sent.count { done(Buffer.concat(chunks)) }
            }
            socket.write(sent)
        }
        let digest = { (data: Buffer) in try crypto.createHash("sha256").update(data).digest(.hex) }
        #expect(try digest(received) == digest(sent))
        socket.end()
    }

    @Test func endSendsCloseNotifyAndThePeerSeesEnd() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try tls.createServer(serverOptions(certs))
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        defer { server.close() }
        let log = EventLog()
        try await waitFor("the server's close") { done in
            server.on(.secureConnection) { socket in
                socket.on(.data) { log.add("data \($0.toString())") }
                socket.on(.end) { log.add("end") }
                socket.on(.error) { log.add("error \($0.code)") }
                socket.on(.close) {
                    log.add("close \($0)"); done()
                }
            }
            let client = tls.connect(server.address()!.port, "localhost", TLSOptions(ca: [certs.caCert])) {}
            client.end("bye")
        }
        #expect(log.entries == ["data bye", "end", "close false"])
    }

    @Test func aPeerThatClosesWithoutCloseNotifyIsAnOrdinaryEnd() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try tls.createServer(serverOptions(certs))
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        defer { server.close() }
        let log = EventLog()
        try await waitFor("the server's close") { done in
            server.on(.secureConnection) { socket in
                socket.on(.data) { _ in }
                socket.on(.end) { log.add("end") }
                socket.on(.error) { log.add("error \($0.code)") }
                socket.on(.close) {
                    log.add("close \($0)"); done()
                }
            }
            let client = tls.connect(server.address()!.port, "localhost", TLSOptions(ca: [certs.caCert]))
            // destroy() closes the TCP connection without a close_notify.
            client.on(.secureConnect) { client.destroy() }
        }
        #expect(log.entries == ["end", "close false"])
    }

    @Test func plainBytesOnATLSPortAreAClientErrorAndTheServerServesOn() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        let error: NodeError = try await waitFor("tlsClientError") { done in
            server.once(.tlsClientError) { error, _ in done(error) }
            net.connect(port, "127.0.0.1").write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        }
        #expect(error.code.hasPrefix("ERR_SSL_"), "\(error)")
        let socket = try await connect(port, TLSOptions(ca: [certs.caCert])).get()
        #expect(socket.authorized)
        socket.destroy()
    }

    /// Node's TLS 1.2 cipher list, chosen in the server's order as Node's server chooses: OpenSSL's
    /// own client offers AES-256 first and is given AES-128 (node 20's server, with an EC
    /// certificate as here, gives `ECDHE-ECDSA-AES128-GCM-SHA256`), and `getCipher()` names it as
    /// Node's does.
    @Test func aTLS12ServerChoosesTheCipherNodesWouldAndNamesItAsNodeDoes() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        let client = try openSSLClient(port, certs, ciphers: nil)
        defer { client.stop() }
        let chosen: TLSCipher? = try await waitFor("the server's secure connection") { done in
            server.once(.secureConnection) { socket in done(socket.getCipher()) }
        }
        #expect(
            chosen.map { [$0.name, $0.standardName, $0.version] }
                == ["ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLSv1.2"])
    }

    /// `openssl s_client` over TLS 1.2, offering `ciphers` (nil: OpenSSL's defaults).
    private func openSSLClient(_ port: Int, _ certs: TestCertificates, ciphers: String?) throws
        -> RunningProgram
    {
        try RunningProgram(
            try requirePeer("openssl"),
            [
                "s_client", "-connect", "127.0.0.1:\(port)", "-tls1_2", "-servername", "localhost", "-CAfile",
                certs.folder.appendingPathComponent("ca.crt").path, "-brief",
            ] + (ciphers.map { ["-cipher", $0] } ?? []))
    }

    /// A client that offers only what Node's cipher list leaves out (no authentication, no
    /// encryption, CAMELLIA) is refused, as node 20's server refuses it (`handshake_failure`), and
    /// the server goes on serving.
    @Test(arguments: ["aNULL:eNULL:@SECLEVEL=0", "CAMELLIA:@SECLEVEL=0"])
    func aClientOfferingOnlyCiphersNodeLeavesOutIsRefused(ciphers: String) async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        var refusals: [String] = []
        server.on(.tlsClientError) { error, _ in refusals.append(error.code) }
        let client = try openSSLClient(port, certs, ciphers: ciphers)
        defer { client.stop() }
        #expect(try await client.waitForExit() != 0)
        #expect(client.standardError.contains("alert handshake failure"), "\(client.standardError)")
        try await waitUntil("the server's tlsClientError") { !refusals.isEmpty }
        #expect(refusals == ["ERR_SSL_NO_SHARED_CIPHER"])
        let honest = try await connect(port, TLSOptions(ca: [certs.caCert])).get()
        #expect(honest.authorized)
        honest.destroy()
    }

    @Test func aClientThatNeverSpeaksIsCutAtHandshakeTimeout() async throws {
        #expect(TLSOptions().handshakeTimeout == 120_000)
        let certs = try await TestCertificates.forTest()
        var options = serverOptions(certs)
        options.handshakeTimeout = 100
        let (server, port) = try await echoServer(options)
        defer { server.close() }
        let error: NodeError = try await waitFor("tlsClientError") { done in
            server.once(.tlsClientError) { error, _ in done(error) }
            let silent = net.connect(port, "127.0.0.1")
            silent.on(.error) { _ in }
        }
        #expect(error.code == "ERR_TLS_HANDSHAKE_TIMEOUT")
    }

    @Test func sniPicksTheCertificateForTheNameAsked() async throws {
        let certs = try await TestCertificates.forTest()
        // A second certificate, for example.test, from a CA made here.
        let caKey = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let ca = try CertificateAuthority.selfSigned(privateKey: caKey, subject: [("CN", "SNI Test CA")])
        let key = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let certificate = try ca.sign(
            CertificateSigningRequest(
                privateKey: key, subject: [("CN", "example.test")], subjectAltNames: ["DNS:example.test"]))
        let (server, port) = try await echoServer(serverOptions(certs))
        defer { server.close() }
        try server.addContext(
            "example.test", TLSOptions(key: try key.export(type: .pkcs8), cert: try certificate.pem))
        let trustBoth = [certs.caCert, try ca.certificate.pem]
        let named = try await connect(port, TLSOptions(ca: trustBoth, servername: "example.test")).get()
        #expect(named.getPeerCertificate()?.subject == "CN=example.test")
        #expect(named.authorized)
        named.destroy()
        let plain = try await connect(port, TLSOptions(ca: trustBoth)).get()
        #expect(plain.getPeerCertificate()?.subject == "CN=localhost", "other names get the default")
        plain.destroy()
    }

    @Test func alpnAgreesOnTheServersFirstChoiceTheClientOffers() async throws {
        let certs = try await TestCertificates.forTest()
        var options = serverOptions(certs)
        options.alpnProtocols = ["h2", "http/1.1"]
        let (server, port) = try await echoServer(options)
        defer { server.close() }
        var client = TLSOptions(ca: [certs.caCert])
        client.alpnProtocols = ["http/1.1", "h2"]
        let both = try await connect(port, client).get()
        #expect(both.alpnProtocol == "h2")
        both.destroy()
        // Nothing in common: the handshake fails, each side saying it as Node 20 does.
        client.alpnProtocols = ["spdy/3"]
        let log = EventLog()
        try await waitFor("both errors") { done in
            let both = Countdown(2)
            both.whenDone = done
            server.once(.tlsClientError) { error, _ in
                log.add("server \(error.code)")
                both.tick()
            }
            tls.connect(port, "localhost", client).on(.error) { error in
                log.add("client \(error.code)")
                both.tick()
            }
        }
        #expect(log.entries.contains("server ERR_SSL_NO_APPLICATION_PROTOCOL"))
        #expect(log.entries.contains("client ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL"))
    }

    @Test func anExpiredServerCertificateIsRefused() async throws {
        let caKey = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let ca = try CertificateAuthority.selfSigned(privateKey: caKey, subject: [("CN", "Expiry CA")])
        let key = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let request = try CertificateSigningRequest(
            privateKey: key, subject: [("CN", "localhost")], subjectAltNames: ["DNS:localhost"])
        // Valid for a day, which ended an hour ago.
        let expired = try ca.sign(
            request, validity: CertificateValidity(notBefore: -90_000, notAfter: -3_600))
        let (server, port) = try await echoServer(
            TLSOptions(key: try key.export(type: .pkcs8), cert: try expired.pem))
        defer { server.close() }
        #expect(
            try await refusal(port, TLSOptions(ca: [try ca.certificate.pem])) == "CERT_HAS_EXPIRED",
            "an expired certificate was accepted")
    }

    @Test func theBooks1024BitKeyIsRefusedOnBothSides() async throws {
        let caKey = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let ca = try CertificateAuthority.selfSigned(privateKey: caKey, subject: [("CN", "Weak Key CA")])
        let weakKey = try crypto.generateKeyPairSync(.rsa(modulusLength: 1024)).privateKey
        let certificate = try ca.sign(
            CertificateSigningRequest(
                privateKey: weakKey, subject: [("CN", "localhost")], subjectAltNames: ["DNS:localhost"]))
        var options = TLSOptions(key: try weakKey.export(type: .pkcs8), cert: try certificate.pem)
        // At this system's security level a server cannot even load it…
        #expect { try tls.createServer(options) } throws: {
            ($0 as? NodeError)?.code == "ERR_SSL_EE_KEY_TOO_SMALL"
        }
        // …and at level 1 (where Node 20's bundled OpenSSL runs) it can, but our client refuses it.
        options.ciphers = "DEFAULT@SECLEVEL=1"
        let (server, port) = try await echoServer(options)
        defer { server.close() }
        let refused = try await refusal(port, TLSOptions(ca: [try ca.certificate.pem], maxVersion: "TLSv1.2"))
        #expect(refused == "EE_KEY_TOO_SMALL", "a 1024-bit server key")
    }

    @Test func aServerWithoutAKeyIsAnError() {
        #expect(throws: NodeError.self) { try tls.createServer(TLSOptions()) }
    }
}
