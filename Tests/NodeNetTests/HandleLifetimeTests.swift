import TestSupport
import Testing

@testable import NodeNet

/// Listeners usually capture their own emitter (`socket.on(.data) { _ in socket.write("你好") }`).
/// Node's garbage collector frees such a cycle once the handle is unreachable; reference counting
/// cannot, so each emitter lets go of its listeners after its last event. Before it did, every
/// TCP connection leaked about 4 KiB and every HTTP connection 68 KiB (the bench found it).
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HandleLifetimeTests {
    /// A reference that does not keep its object alive.
    @NodeActor final class Weak<Object: AnyObject> {
        weak var object: Object?
    }

    /// Waits, a turn of the loop at a time (at most 1000 turns), until `object` has been freed:
    /// the channel lets go of its handler a turn or two after `close`.
    private func freed<Object: AnyObject>(_ reference: Weak<Object>) async -> Bool {
        for _ in 0..<1000 {
            if reference.object == nil { return true }
            await until { done in _ = setImmediate(done) }
        }
        return reference.object == nil
    }

    @Test func aClosedConnectionsSocketsAreFreedOnBothSides() async throws {
        let serverSide = Weak<Socket>()
        let clientSide = Weak<Socket>()
        let serverClosed = Countdown(1)
        let (server, port) = try await listeningServer { socket in
            serverSide.object = socket
            socket.on(.data) { _ in socket.write("你好") }
            socket.on(.close) { _ in serverClosed.tick() }
        }
        defer { server.close() }
        try await waitFor("both closes") { done in
            let bothClosed = Countdown(2)
            bothClosed.whenDone = done
            serverClosed.whenDone = { bothClosed.tick() }
            let client = net.connect(port, "127.0.0.1")
            clientSide.object = client
            client.on(.data) { _ in client.end() }
            client.on(.close) { _ in bothClosed.tick() }
            client.write("hi")
        }
        #expect(await freed(serverSide), "the server's socket is still alive after close")
        #expect(await freed(clientSide), "the client's socket is still alive after close")
    }

    @Test func aRequestItsResponseAndTheirConnectionAreFreedOnBothSides() async throws {
        let request = Weak<IncomingMessage>()
        let response = Weak<ServerResponse>()
        let connection = Weak<Socket>()
        let (server, port) = try await listeningHTTPServer { req, res in
            request.object = req
            response.object = res
            connection.object = req.socket
            // The program's usual shape: the request's listener captures the response.
            req.on(.data) { _ in }
            req.on(.end) { res.end("hello") }
            res.on(.finish) { _ = res.statusCode }
        }
        defer { server.close() }
        let clientRequest = Weak<ClientRequest>()
        let clientResponse = Weak<IncomingMessage>()
        let status: Int = try await waitFor("response") { done in
            var options = RequestOptions(host: "127.0.0.1", port: port, agent: nil)
            options.headers = [("Connection", "close")]
            let sent = http.request(options) { res in
                clientResponse.object = res
                res.on(.data) { _ in }
                res.on(.end) { done(res.statusCode) }
            }
            clientRequest.object = sent
            sent.on(.finish) { _ = sent.method }
            sent.end()
        }
        #expect(status == 200)
        #expect(await freed(clientRequest), "the client's request is still alive")
        #expect(await freed(clientResponse), "the client's response is still alive")
        #expect(await freed(request), "the request is still alive")
        #expect(await freed(response), "the response is still alive")
        #expect(await freed(connection), "the connection's socket is still alive")
    }

    @Test func aClosedWebSocketIsFreedWithItsHandlers() async throws {
        let serverSide = Weak<WebSocket>()
        let clientSide = Weak<WebSocket>()
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        let wss = WebSocketServer(server: server)
        wss.on(.connection) { (ws: WebSocket, _: IncomingMessage) in
            serverSide.object = ws
            ws.on(.message) { message in ws.send(message) }
        }
        try await waitFor("close") { done in
            let ws = WebSocket("ws://127.0.0.1:\(port)/")
            clientSide.object = ws
            ws.onopen = { ws.send("hi") }
            ws.onmessage = { _ in try? ws.close(1000, "done") }
            ws.onclose = { _ in done() }
        }
        #expect(await freed(clientSide), "the client's WebSocket is still alive")
        #expect(await freed(serverSide), "the server's WebSocket is still alive")
    }
}
