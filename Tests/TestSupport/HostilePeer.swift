/// Helpers for tests that attack a server the way a hostile client would, each of which ends by
/// checking that the same server still serves an honest client.
import NodeNet
import Testing

/// What a raw connection saw: everything it received, and whether the server closed it.
@NodeActor public final class RawConnection {
    /// The socket, plain TCP or TLS.
    public let socket: Socket
    /// Everything received so far, as text.
    public private(set) var received = ""
    /// Whether the connection has closed.
    public private(set) var closed = false
    private var onClose: [@NodeActor () -> Void] = []

    /// Watches `socket`, which the caller has just opened.
    public init(_ socket: Socket) {
        self.socket = socket
        // Weak: a test may let go of the connection while the socket still lives.
        socket.on(.data) { [weak self] data in self?.received += data.toString() }
        socket.on(.error) { _ in }
        socket.on(.close) { [weak self] _ in
            guard let self else { return }
            closed = true
            for callback in onClose { callback() }
            onClose = []
        }
    }

    /// A plain TCP connection to `port` on 127.0.0.1.
    public convenience init(port: Int) {
        self.init(net.connect(port, "127.0.0.1"))
    }

    /// Waits until the server closes the connection; fails after `seconds`. Returns what arrived.
    @discardableResult
    public func closedByServer(within seconds: Int) async throws -> String {
        try await waitFor("the server to close the connection", seconds: seconds) { done in
            if closed { done() } else { onClose.append(done) }
        }
        return withoutDate(received)
    }
}

/// An HTTPS server on a free loopback port with the test certificates, answering "ok", listening;
/// and a TLS connection to it that trusts the test CA, once its handshake is done.
@NodeActor
public func listeningHTTPSServer(_ certs: TestCertificates, _ options: HTTPServerOptions) async throws
    -> (server: HTTPSServer, connect: @NodeActor () async throws -> RawConnection)
{
    let server = try https.createServer(TLSOptions(key: certs.serverKey, cert: certs.serverCert), options) {
        _, res in res.end("ok")
    }
    try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
    let port = server.address()!.port
    return (
        server,
        {
            let socket = tls.connect(port, "localhost", TLSOptions(ca: [certs.caCert]))
            let connection = RawConnection(socket)
            try await waitFor("handshake") { done in socket.once(.secureConnect, done) }
            return connection
        }
    )
}

/// Node's answer when a client runs out of `headersTimeout` or `requestTimeout`.
public let requestTimeoutReply = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n"

/// An honest `GET /` on a new connection is answered `200` by the server on `port`: the end of
/// every hostile-peer test.
@NodeActor
public func expectStillServes(_ port: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let reply = try await rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", seconds: 30) {
        $0.hasSuffix("ok")
    }
    #expect(
        reply.text.hasPrefix("HTTP/1.1 200 OK\r\n"), "an honest client after the attack",
        sourceLocation: sourceLocation)
}
