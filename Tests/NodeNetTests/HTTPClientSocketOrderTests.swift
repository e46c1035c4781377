import NodeNet
import TestSupport
import Testing

/// Where a request's events fall among a program's listeners on its socket, and among the events
/// of the request before it on a kept connection. Node's client adds its socket listeners as it
/// assigns each request (on the next tick, `onSocketNT`), and takes them off when it keeps the
/// connection for the next; a program's listeners from an earlier request on a kept connection
/// come first. The orders are node 20's (a keep-alive agent on 127.0.0.1).
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPClientSocketOrderTests {
    /// A server that answers the first request on each connection and destroys the socket of the
    /// second.
    private func serverAnsweringOnce() async throws -> (HTTPServer, Int) {
        var answered = 0
        return try await listeningHTTPServer { req, res in
            answered += 1
            if answered == 1 { res.end("one") } else { req.socket.destroy() }
        }
    }

    /// Runs `body` with a server that answers each request with `Connection: close` and an agent
    /// with room for one connection at a time to it; returns the paths the server was asked for.
    private func oneConnectionAtATime(_ body: (Agent, Int) async throws -> Void) async throws -> [String] {
        let paths = EventLog()
        let (server, port) = try await listeningHTTPServer { req, res in
            paths.add(req.url)
            res.setHeader("Connection", "close")
            res.end("x")
        }
        let agent = Agent(keepAlive: true, maxSockets: 1)
        defer {
            server.close()
            agent.destroy()
        }
        try await body(agent, port)
        return paths.entries
    }

    /// Sends a request and logs its `error` and `close` and, from its `socket` event, the
    /// socket's `end` and `close` under `name`.
    private func send(_ name: String, to port: Int, with agent: Agent, log: EventLog) -> ClientRequest {
        let request = http.request(RequestOptions(host: "127.0.0.1", port: port, agent: agent))
        request.on(.socket) { socket in
            socket.on(.end) { log.add("\(name): the socket's end") }
            socket.on(.close) { _ in log.add("\(name): the socket's close") }
        }
        request.on(.error) { error in log.add("\(name) error \(error.code) \(error.message)") }
        request.on(.close) { log.add("\(name) close") }
        request.end()
        return request
    }

    @Test func aHangUpOnAFreshConnectionIsTheRequestsErrorBeforeTheProgramsEnd() async throws {
        let (server, port) = try await listeningHTTPServer { req, _ in req.socket.destroy() }
        defer { server.close() }
        let agent = Agent(keepAlive: true)
        defer { agent.destroy() }
        let log = EventLog()
        _ = send("first", to: port, with: agent, log: log)
        try await waitUntil("the socket's close") { log.entries.count == 4 }
        #expect(
            log.entries == [
                "first error ECONNRESET socket hang up", "first: the socket's end", "first close",
                "first: the socket's close",
            ])
    }

    @Test func onAKeptConnectionTheListenersOfAnEarlierRequestComeFirst() async throws {
        let (server, port) = try await serverAnsweringOnce()
        defer { server.close() }
        let agent = Agent(keepAlive: true, maxSockets: 1)
        defer { agent.destroy() }
        let log = EventLog()
        let first = send("first", to: port, with: agent, log: log)
        try await waitFor("the first answer") { done in
            first.on(.response) { res in
                res.on(.data) { _ in }
                res.on(.end) { done() }
            }
        }
        try await waitUntil("the first request's close") { log.entries == ["first close"] }
        _ = send("second", to: port, with: agent, log: log)
        try await waitUntil("the socket's close") { log.entries.count == 7 }
        #expect(
            log.entries == [
                "first close",
                "first: the socket's end", "second error ECONNRESET socket hang up",
                "second: the socket's end",
                "first: the socket's close", "second close", "second: the socket's close",
            ])
    }

    /// Two requests at once through one kept connection: the second's `socket` comes after the
    /// first's response has ended and the first request has closed.
    @Test func aQueuedRequestGetsTheKeptSocketAfterTheFirstHasClosed() async throws {
        let (server, port) = try await listeningHTTPServer { _, res in res.end("x") }
        defer { server.close() }
        let agent = Agent(keepAlive: true, maxSockets: 1)
        defer { agent.destroy() }
        let log = EventLog()
        try await waitFor("the second response's end") { done in
            let options = RequestOptions(host: "127.0.0.1", port: port, agent: agent)
            for name in ["first", "second"] {
                let request = http.request(options) { res in
                    res.on(.data) { _ in }
                    res.on(.end) {
                        log.add("\(name) response's end")
                        if name == "second" { done() }
                    }
                    res.on(.close) { log.add("\(name) response's close") }
                }
                request.on(.socket) { _ in log.add("\(name) socket") }
                request.on(.close) { log.add("\(name) close") }
                request.end()
            }
        }
        #expect(
            Array(log.entries.prefix(6)) == [
                "first socket", "first response's end", "first close", "second socket",
                "first response's close", "second response's end",
            ])
    }

    /// Two requests at once through an agent with room for one connection, each answered with
    /// `Connection: close`: the second gets a fresh connection once the first one has closed, and
    /// its `socket` comes after the program's own `close` listener on the first socket (node 20,
    /// on 127.0.0.1: `/1 socket`, `/1 response's end`, `/1 close`, `/1: the socket's close`,
    /// `/2 socket`).
    @Test func aRequestWaitingForRoomGetsItsSocketAfterTheClosedOnesListeners() async throws {
        let log = EventLog()
        let paths = try await oneConnectionAtATime { agent, port in
            try await waitFor("the second response's end") { done in
                for path in ["/1", "/2"] {
                    let options = RequestOptions(host: "127.0.0.1", port: port, path: path, agent: agent)
                    let request = http.request(options) { res in
                        res.on(.data) { _ in }
                        res.on(.end) {
                            log.add("\(path) response's end")
                            if path == "/2" { done() }
                        }
                    }
                    request.on(.socket) { socket in
                        log.add("\(path) socket")
                        socket.on(.close) { _ in log.add("\(path): the socket's close") }
                    }
                    request.on(.close) { log.add("\(path) close") }
                    request.end()
                }
            }
        }
        #expect(
            Array(log.entries.prefix(6)) == [
                "/1 socket", "/1 response's end", "/1 close", "/1: the socket's close", "/2 socket",
                "/2 response's end",
            ])
        #expect(paths == ["/1", "/2"])
    }

    /// The server ends the kept connection right after its first answer, while a second request
    /// waits for it: the second request fails with "socket hang up", as in Node (20 runs of 20
    /// there); it is not retried on a fresh connection.
    @Test func aKeptConnectionTheServerEndsFailsTheRequestWaitingForIt() async throws {
        var served = 0
        let (server, port) = try await listeningHTTPServer { req, res in
            served += 1
            res.end("x")
            if served == 1 { req.socket.end() }
        }
        defer { server.close() }
        let agent = Agent(keepAlive: true, maxSockets: 1)
        defer { agent.destroy() }
        let log = EventLog()
        try await waitFor("the second request's close") { done in
            let first = http.request(RequestOptions(host: "127.0.0.1", port: port, agent: agent)) { res in
                res.on(.data) { _ in }
            }
            first.end()
            let second = http.request(RequestOptions(host: "127.0.0.1", port: port, agent: agent)) { res in
                log.add("second response \(res.statusCode)")
                res.on(.data) { _ in }
            }
            second.on(.error) { error in log.add("second error \(error.code) \(error.message)") }
            second.on(.close) {
                log.add("second close")
                done()
            }
            second.end()
        }
        #expect(log.entries == ["second error ECONNRESET socket hang up", "second close"])
        #expect(served == 1)
    }

    /// A request destroyed while it waits for the kept connection is never sent, and the one
    /// behind it gets the connection (node 20: the server sees `/1` and `/3`; `/2` fails with
    /// "socket hang up"). Destroyed in the same turn it was made (0), at the first response's
    /// head while it is queued (1), or at the first response's end, as the connection comes free
    /// (2). NodeNet reports the failure at `destroy()`; Node when the connection comes free.
    @Test(arguments: [0, 1, 2]) func aRequestDestroyedWhileItWaitsIsNeverSent(moment: Int) async throws {
        var paths: [String] = []
        let (server, port) = try await listeningHTTPServer { req, res in
            paths.append(req.url)
            res.end("x")
        }
        defer { server.close() }
        let agent = Agent(keepAlive: true, maxSockets: 1)
        defer { agent.destroy() }
        let log = EventLog()
        try await waitFor("the third response's end") { done in
            var second: ClientRequest?
            @NodeActor func send(_ path: String) -> ClientRequest {
                let options = RequestOptions(host: "127.0.0.1", port: port, path: path, agent: agent)
                let request = http.request(options) { res in
                    if path == "/1" && moment == 1 { second?.destroy() }
                    res.on(.data) { _ in }
                    res.on(.end) {
                        if path == "/1" && moment == 2 { second?.destroy() }
                        if path == "/3" { done() }
                    }
                }
                request.end()
                return request
            }
            _ = send("/1")
            second = send("/2")
            second?.on(.socket) { _ in log.add("/2 socket") }
            second?.on(.error) { error in log.add("/2 error \(error.code) \(error.message)") }
            second?.on(.close) { log.add("/2 close") }
            if moment == 0 { second?.destroy() }
            _ = send("/3")
        }
        #expect(paths == ["/1", "/3"])
        #expect(log.entries == ["/2 error ECONNRESET socket hang up", "/2 close"])
        #expect(agent.freeSockets == ["127.0.0.1:\(port):": 1])
    }

    /// The same through a connection that closes after each answer (`Connection: close`): the
    /// request destroyed while it waits for room is never sent, and the one behind it gets the
    /// room (node 20: the server sees `/1` and `/3`, and `/2` gets no `socket`). Destroyed in the
    /// turn it was made (0), at the first response's end (2), just before the first connection
    /// closes, or in the program's `close` listener on that connection (3), after the agent has
    /// opened the new connection for it.
    @Test(arguments: [0, 2, 3])
    func aRequestDestroyedWhileItWaitsForRoomIsNeverSent(moment: Int) async throws {
        let log = EventLog()
        let paths = try await oneConnectionAtATime { agent, port in
            try await waitFor("the third response's end") { done in
                var second: ClientRequest?
                for path in ["/1", "/2", "/3"] {
                    let options = RequestOptions(host: "127.0.0.1", port: port, path: path, agent: agent)
                    let request = http.request(options) { res in
                        res.on(.data) { _ in }
                        res.on(.end) {
                            if path == "/1" && moment == 2 { second?.destroy() }
                            if path == "/3" { done() }
                        }
                    }
                    request.on(.socket) { socket in
                        log.add("\(path) socket")
                        if path == "/1" && moment == 3 { socket.on(.close) { _ in second?.destroy() } }
                    }
                    request.on(.error) { error in log.add("\(path) error \(error.message)") }
                    request.end()
                    if path == "/2" { second = request }
                }
                if moment == 0 { second?.destroy() }
            }
        }
        #expect(paths == ["/1", "/3"])
        #expect(log.entries.filter { $0.hasPrefix("/2") } == ["/2 error socket hang up"])
        #expect(log.entries.filter { $0.hasSuffix("socket") } == ["/1 socket", "/3 socket"])
    }

    /// A request destroyed in the turn it is made, with a connection free for it, opens none.
    @Test func aRequestDestroyedAsItIsMadeOpensNoConnection() async throws {
        var connections = 0
        let (server, port) = try await listeningHTTPServer { _, res in res.end("x") }
        server.on(.connection) { _ in connections += 1 }
        defer { server.close() }
        let agent = Agent(keepAlive: true)
        defer { agent.destroy() }
        let options = RequestOptions(host: "127.0.0.1", port: port, agent: agent)
        try await waitFor("the destroyed request's close") { done in
            let request = http.request(options)
            request.on(.error) { _ in }
            request.on(.close) { done() }
            request.end()
            request.destroy()
        }
        try await waitFor("another request's answer") { done in
            http.request(options) { res in
                res.on(.data) { _ in }
                res.on(.end) { done() }
            }.end()
        }
        #expect(connections == 1)
    }
}
