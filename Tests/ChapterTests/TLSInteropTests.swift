import Foundation
import NodeNet
import TestSupport
import Testing

/// NodeNet's `tls` against peers nobody here wrote: the `openssl` command line and Node's `tls`,
/// each as client and as server.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct TLSInteropTests {
    private func echoServer(_ certs: TestCertificates) async throws -> (TLSServer, Int) {
        let server = try tls.createServer(TLSOptions(key: certs.serverKey, cert: certs.serverCert)) {
            socket in
            socket.on(.data) { socket.write($0) }
        }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        return (server, server.address()!.port)
    }

    @Test func opensslsClientVerifiesOurServer() async throws {
        let openssl = try requirePeer("openssl")
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(certs)
        defer { server.close() }
        let client = try RunningProgram(
            openssl,
            [
                "s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost", "-verify_hostname",
                "localhost", "-CAfile", certs.folder.appendingPathComponent("ca.crt").path,
                "-verify_return_error",
                "-no_ign_eof", "-brief",
            ])
        client.type("hello over TLS\n")
        try await client.waitForOutput(containing: "hello over TLS")
        client.closeInput()
        #expect(try await client.waitForExit() == 0, "\(client.standardError)")
        #expect(client.standardError.contains("Verification: OK"), "\(client.standardError)")
        #expect(client.standardError.contains("Protocol version: TLSv1.3"))
        #expect(client.standardOutput.contains("hello over TLS"))
    }

    @Test func renegotiationIsRefused() async throws {
        let openssl = try requirePeer("openssl")
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(certs)
        defer { server.close() }
        var serverSide: TLSSocket?
        var serverErrors: [NodeError] = []
        server.once(.secureConnection) { socket in
            serverSide = socket
            socket.on(.error) { serverErrors.append($0) }
        }
        // TLS 1.2 (TLS 1.3 has no renegotiation); a line "R" asks s_client to renegotiate.
        let client = try RunningProgram(
            openssl,
            [
                "s_client", "-connect", "127.0.0.1:\(port)", "-tls1_2", "-servername", "localhost", "-CAfile",
                certs.folder.appendingPathComponent("ca.crt").path, "-no_ign_eof",
            ])
        defer { client.stop() }
        client.type("hello\n")
        try await client.waitForOutput(containing: "hello")
        client.type("R\n")
        try await client.waitForErrorOutput(containing: "no renegotiation")
        let serverError: NodeError = try await waitFor("the server side's error") { done in
            if let first = serverErrors.first { return done(first) }
            serverSide?.once(.error, done)
        }
        #expect(serverError.code.hasPrefix("ERR_SSL_"), "\(serverError)")
    }

    @Test func ourClientVerifiesOpensslsServer() async throws {
        let openssl = try requirePeer("openssl")
        let certs = try await TestCertificates.forTest()
        let server = try RunningProgram(
            openssl,
            [
                "s_server", "-key", certs.folder.appendingPathComponent("server.key").path, "-cert",
                certs.folder.appendingPathComponent("server.crt").path, "-accept", "0", "-naccept", "1",
                "-rev",
            ])
        defer { server.stop() }
        let output = try await server.waitForOutput(containing: "ACCEPT")
        let port = try #require(output.firstMatch(of: /ACCEPT .*:(\d+)/).flatMap { Int($0.1) })
        let socket = tls.connect(port, "localhost", TLSOptions(ca: [certs.caCert]))
        let reply: String = try await waitFor("the reversed line") { done in
            socket.on(.secureConnect) { socket.write("hello\n") }
            socket.on(.data) { data in if data.toString().contains("olleh") { done(data.toString()) } }
            socket.on(.error) { error in done("error \(error.code)") }
        }
        #expect(reply.contains("olleh"))
        #expect(socket.authorized)
        socket.destroy()
    }

    /// Runs a Node script with the test certificates' folder as its working directory.
    private func node(_ script: String) async throws -> RunningProgram {
        let node = try requirePeer("node")
        let certs = try await TestCertificates.forTest()
        return try RunningProgram(
            node, ["-e", "process.chdir(\(certs.folder.path.debugDescription));" + script])
    }

    @Test func nodesClientAndOursSeeTheSameServer() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await echoServer(certs)
        defer { server.close() }
        let client = try await node(
            """
            const tls = require('tls'), fs = require('fs');
            const trusted = tls.connect({ port: \(port), host: 'localhost', ca: fs.readFileSync('ca.crt') }, () => {
              console.log('authorized', trusted.authorized, trusted.getProtocol());
              trusted.write('hi');
            });
            trusted.on('data', (d) => {
              console.log('echo', d.toString());
              trusted.end();
              const other = tls.connect({ port: \(port), host: 'localhost', ca: fs.readFileSync('other-ca.crt') });
              other.on('error', (e) => console.log('refused', e.code));
            });
            """)
        #expect(try await client.waitForExit() == 0, "\(client.standardError)")
        #expect(
            client.standardOutput
                == "authorized true TLSv1.3\necho hi\nrefused UNABLE_TO_VERIFY_LEAF_SIGNATURE\n")
        // Ours, against the same server, says the same.
        let ours = tls.connect(port, "localhost", TLSOptions(ca: [certs.otherCACert]))
        let error: NodeError = try await waitFor("refusal") { done in ours.on(.error, done) }
        #expect(error.code == "UNABLE_TO_VERIFY_LEAF_SIGNATURE")
    }

    @Test func ourClientTalksToNodesServerWithMutualTLS() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try await node(
            """
            const tls = require('tls'), fs = require('fs');
            const server = tls.createServer({ key: fs.readFileSync('server.key'), cert: fs.readFileSync('server.crt'),
              ca: fs.readFileSync('ca.crt'), requestCert: true }, (socket) => {
              console.log('client authorized', socket.authorized, socket.getPeerCertificate().subject.CN);
              socket.end('hello from node');
              server.close();
            });
            server.listen(0, '127.0.0.1', () => console.log('port', server.address().port, 'open'));
            """)
        defer { server.stop() }
        let output = try await server.waitForOutput(containing: " open")
        let port = try #require(output.firstMatch(of: /port (\d+) open/).flatMap { Int($0.1) })
        let socket = tls.connect(
            port, "localhost", TLSOptions(key: certs.clientKey, cert: certs.clientCert, ca: [certs.caCert]))
        let reply: String = try await waitFor("node's greeting") { done in
            var text = ""
            socket.on(.data) { text += $0.toString() }
            socket.on(.end) { done(text) }
            socket.on(.error) { done("error \($0.code)") }
        }
        #expect(reply == "hello from node")
        #expect(socket.authorized)
        _ = try await server.waitForOutput(containing: "client authorized true student")
    }

    @Test func curlAndNodeFetchFromOurHTTPSServer() async throws {
        let curl = try requirePeer("curl")
        let certs = try await TestCertificates.forTest()
        let server = try https.createServer(TLSOptions(key: certs.serverKey, cert: certs.serverCert)) {
            req, res in
            res.end("hello over HTTPS, \(req.url)\n")
        }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        defer { server.close() }
        let port = server.address()!.port
        let fetch = try RunningProgram(
            curl,
            [
                "--silent", "--show-error", "--max-time", "10", "--cacert",
                certs.folder.appendingPathComponent("ca.crt").path, "--resolve",
                "localhost:\(port):127.0.0.1",
                "https://localhost:\(port)/curl",
            ])
        #expect(try await fetch.waitForExit() == 0, "\(fetch.standardError)")
        #expect(fetch.standardOutput == "hello over HTTPS, /curl\n")
        let client = try await node(
            """
            const https = require('https'), fs = require('fs');
            https.get({ host: 'localhost', port: \(port), path: '/node', ca: fs.readFileSync('ca.crt') }, (res) => {
              res.on('data', (d) => process.stdout.write(res.statusCode + ' ' + d));
            });
            """)
        #expect(try await client.waitForExit() == 0, "\(client.standardError)")
        #expect(client.standardOutput == "200 hello over HTTPS, /node\n")
    }

    @Test func ourHTTPSClientFetchesFromNodesServer() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try await node(
            """
            const https = require('https'), fs = require('fs');
            const server = https.createServer({ key: fs.readFileSync('server.key'), cert: fs.readFileSync('server.crt') },
              (req, res) => { res.end('node says hi to ' + req.url); server.close(); });
            server.listen(0, '127.0.0.1', () => console.log('port', server.address().port, 'open'));
            """)
        defer { server.stop() }
        let output = try await server.waitForOutput(containing: " open")
        let port = try #require(output.firstMatch(of: /port (\d+) open/).flatMap { Int($0.1) })
        var options = RequestOptions(agent: nil)
        options.tls = TLSOptions(ca: [certs.caCert])
        let body: String = try await waitFor("node's answer") { done in
            https.get("https://localhost:\(port)/swift", options) { res in
                var body = ""
                res.on(.data) { body += $0.toString() }
                res.on(.end) { done("\(res.statusCode) \(body)") }
            }.on(.error) { done("error \($0.code)") }
        }
        #expect(body == "200 node says hi to /swift")
    }
}
