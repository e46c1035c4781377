import Foundation
import NodeNet
import TestSupport
import Testing

/// A server that asks for a client's certificate (`requestCert`, `rejectUnauthorized`) and gets
/// one it cannot verify: what the client sees, and what the server reports, against Node's own
/// server with the same keys. Node judges the certificate before its Finished goes out, so a
/// TLS 1.2 client is never told it connected; a TLS 1.3 client has its Finished first, and
/// sees the connection close. The server reports `tlsClientError` ECONNRESET "socket hang up",
/// the reason in the socket's `authorizationError`; and serves the next client.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct TLSClientCertificateRefusalTests {
    @Test(arguments: ["TLSv1.2", "TLSv1.3"]) func aSelfSignedClientIsRefusedAsNodeRefusesIt(
        version: String
    ) async throws {
        let certs = try await TestCertificates.forTest()
        let server = try await certs.listeningMutualTLSServer { socket in socket.end("welcome") }
        defer { server.close() }
        var refusals: [String] = []
        server.on(.tlsClientError) { error, socket in
            refusals.append("\(error.code) \(error.message) (\(socket.authorizationError ?? "-"))")
        }
        // The stranger's events, then an honest client's, against each server.
        let script = """
            const tls = require('tls'), fs = require('fs');
            const common = { host: '127.0.0.1', servername: 'localhost', ca: fs.readFileSync('ca.crt'),
              maxVersion: '\(version)' };
            function visit(port, who) {
              return new Promise((resolve) => {
                const seen = [];
                const socket = tls.connect({ ...common, port,
                  key: fs.readFileSync(`${who}.key`), cert: fs.readFileSync(`${who}.crt`) });
                socket.on('secureConnect', () => seen.push('secureConnect'));
                socket.on('data', (d) => seen.push(`data ${d}`));
                socket.on('error', (e) => seen.push(`error ${e.code}`));
                socket.on('close', () => resolve(seen.join(', ')));
              });
            }
            const both = async (port) => `${await visit(port, 'self')} / ${await visit(port, 'client')}`;
            const twin = tls.createServer({ key: fs.readFileSync('server.key'),
              cert: fs.readFileSync('server.crt'), ca: fs.readFileSync('ca.crt'), requestCert: true,
              rejectUnauthorized: true }, (socket) => socket.end('welcome'));
            twin.on('tlsClientError', (e, s) => console.log(`twin: ${e.code} ${e.message} (${s.authorizationError})`));
            twin.listen(0, '127.0.0.1', async () => {
              const fromNode = await both(twin.address().port);
              twin.close();
              console.log(`node: ${fromNode}`);
              console.log(`nodenet: ${await both(\(server.address()!.port))}`);
            });
            """
        let run = try await runPeer(try requirePeer("node"), ["-e", script], in: certs.folder)
        #expect(run.status == 0, "node: \(run)")
        let lines = run.output.split(separator: "\n").map(String.init)
        let stranger = version == "TLSv1.2" ? "error ECONNRESET" : "secureConnect"
        let expected = "\(stranger) / secureConnect, data welcome"
        #expect(lines.contains("node: \(expected)"), "\(run.output)")
        #expect(lines.contains("nodenet: \(expected)"), "\(run.output)")
        let twinRefusal = "twin: ECONNRESET socket hang up (DEPTH_ZERO_SELF_SIGNED_CERT)"
        #expect(lines.contains(twinRefusal), "\(run.output)")
        #expect(refusals == ["ECONNRESET socket hang up (DEPTH_ZERO_SELF_SIGNED_CERT)"])
    }
}
