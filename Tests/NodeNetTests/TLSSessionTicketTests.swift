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
}
