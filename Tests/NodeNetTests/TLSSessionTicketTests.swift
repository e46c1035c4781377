import Foundation
import NodeNet
import TestSupport
import Testing

/// The tickets a server sends after a TLS 1.3 handshake, which a client sees as `session` events.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct TLSSessionTicketTests {
    /// A Node client counts its `session` events against Node's own server and against a NodeNet
    /// server with the same key and certificate: two each, OpenSSL 3.0's default. The README's cost
    /// notes weigh these tickets (a fifth of a mutual handshake's instructions) and keep them so.
    @Test func aNodeClientGetsAsManyTicketsAsFromNodesServer() async throws {
        let certs = try await TestCertificates.forTest()
        let options = TLSOptions(key: certs.serverKey, cert: certs.serverCert)
        let server = try tls.createServer(options) { socket in socket.end("hi") }
        defer { server.close() }
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        let script = """
            const tls = require('tls'), fs = require('fs');
            function sessions(port) {
              return new Promise((resolve, reject) => {
                let count = 0;
                const socket = tls.connect(
                  { port, host: '127.0.0.1', servername: 'localhost', ca: fs.readFileSync('ca.crt') });
                socket.on('session', () => count++);
                socket.on('data', () => {});
                socket.on('error', reject);
                socket.on('close', () => resolve(count));
              });
            }
            const options = { key: fs.readFileSync('server.key'), cert: fs.readFileSync('server.crt') };
            const twin = tls.createServer(options, (socket) => socket.end('hi'));
            twin.listen(0, '127.0.0.1', async () => {
              const fromNode = await sessions(twin.address().port);
              twin.close();
              console.log(`node ${fromNode}, nodenet ${await sessions(\(server.address()!.port))}`);
            });
            """
        let run = try await runPeer(try requirePeer("node"), ["-e", script], in: certs.folder)
        #expect(run.status == 0, "node: \(run)")
        #expect(run.output.trimmingCharacters(in: .newlines) == "node 2, nodenet 2")
    }

    /// A Node client that keeps its session (as `https.Agent` does) reconnects to a server that
    /// asks for its certificate, TLS 1.3 and 1.2: the session is resumed and still carries the
    /// certificate, against Node's server and NodeNet's alike. Without a session ID context
    /// OpenSSL refused NodeNet's resumption with `internal_error`.
    @Test(arguments: ["TLSv1.3", "TLSv1.2"]) func aNodeClientResumesItsSessionOnAMutualTLSServer(
        version: String
    ) async throws {
        let certs = try await TestCertificates.forTest()
        let server = try await certs.listeningMutualTLSServer { socket in
            socket.end("\(socket.authorized) \(socket.getPeerCertificate()?.subject ?? "-")")
        }
        defer { server.close() }
        let script = """
            const tls = require('tls'), fs = require('fs');
            const client = {
              host: '127.0.0.1', servername: 'localhost', ca: fs.readFileSync('ca.crt'),
              key: fs.readFileSync('client.key'), cert: fs.readFileSync('client.crt'),
              maxVersion: '\(version)' };
            function visit(port, session) {
              return new Promise((resolve, reject) => {
                let kept, reused, said = '';
                const socket = tls.connect({ ...client, port, session });
                socket.on('secureConnect', () => reused = socket.isSessionReused());
                socket.on('session', (s) => kept = s);
                socket.on('data', (d) => said += d);
                socket.on('error', reject);
                socket.on('close', () => resolve({ kept, line: `${reused} ${said}` }));
              });
            }
            async function twice(port) {
              const first = await visit(port);
              return (await visit(port, first.kept)).line;
            }
            const options = {
              key: fs.readFileSync('server.key'), cert: fs.readFileSync('server.crt'),
              ca: fs.readFileSync('ca.crt'), requestCert: true, rejectUnauthorized: true };
            const twin = tls.createServer(options, (socket) =>
              socket.end(`${socket.authorized} CN=${socket.getPeerCertificate().subject.CN}`));
            twin.listen(0, '127.0.0.1', async () => {
              const fromNode = await twice(twin.address().port);
              twin.close();
              console.log(`node: ${fromNode}; nodenet: ${await twice(\(server.address()!.port))}`);
            });
            """
        let run = try await runPeer(try requirePeer("node"), ["-e", script], in: certs.folder)
        #expect(run.status == 0, "node: \(run)")
        let both = "node: true true CN=student; nodenet: true true CN=student"
        #expect(run.output.trimmingCharacters(in: .newlines) == both)
    }
}
