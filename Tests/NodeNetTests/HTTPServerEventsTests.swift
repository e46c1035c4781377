import TestSupport
import Testing

@testable import NodeNet

/// Every server event of the book's §3.3, and Node's default when nobody listens.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPServerEventsTests {
    private let get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"

    /// A client gone before its answer, in Node 20's order (checked with node on 127.0.0.1, for
    /// both requests): the request's `aborted` at once, then the program's `close` listener on
    /// the socket, the response's `close`, and a tick later the request's `error` and `close`.
    /// A request whose body was still coming is aborted, and so is one nobody read to its end.
    @Test(arguments: [
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc",
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    ])
    func aClientGoneBeforeItsAnswerClosesInNodesOrder(request: String) async throws {
        let log = EventLog()
        var client: Socket?
        var requestClosed: (@NodeActor () -> Void)?
        let (server, port) = try await listeningHTTPServer { req, res in
            req.on(.aborted) { log.add("req aborted") }
            req.on(.error) { error in log.add("req error \(error.code)") }
            req.on(.close) {
                log.add("req close")
                requestClosed?()
            }
            res.on(.close) { log.add("res close") }
            client?.destroy()  // before any answer, the body (if any) unread
        }
        defer { server.close() }
        server.on(.connection) { socket in socket.on(.close) { _ in log.add("socket close") } }
        try await waitFor("the request's close") { done in
            requestClosed = done
            client = net.connect(port, "127.0.0.1")
            client?.on(.error) { _ in }
            client?.write(request)
        }
        #expect(
            log.entries == ["req aborted", "socket close", "res close", "req error ECONNRESET", "req close"])
    }

    @Test func keepAliveIsOneConnectionManyRequests() async throws {
        let log = EventLog()
        let (server, port) = try await listeningHTTPServer { req, res in
            log.add("request \(req.url)")
            res.end("ok")
        }
        server.on(.connection) { _ in log.add("connection") }
        let reply = try await rawExchange(
            port,
            "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n"
        ) { $0.components("HTTP/1.1 200") == 3 && $0.hasSuffix("ok") }
        #expect(log.entries == ["connection", "request /1", "request /2", "request /3"])
        #expect(!reply.closed)
        server.close()
    }

    @Test func requestsThatArriveTogetherAllFireBeforeAnyEnds() async throws {
        // As in Node: `end` comes a tick after the body, so a pipelined batch is parsed first.
        let log = EventLog()
        let (server, port) = try await listeningHTTPServer { req, res in
            log.add("request \(req.url)")
            req.resume()
            req.on(.end) {
                log.add("end \(req.url)")
                res.end("ok")
            }
        }
        _ = try await rawExchange(
            port, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
        ) { $0.components("\r\n\r\nok") == 2 }
        #expect(log.entries == ["request /1", "request /2", "end /1", "end /2"])
        server.close()
    }

    @Test func pipelinedResponsesKeepRequestOrder() async throws {
        let (server, port) = try await listeningHTTPServer { req, res in
            // The first answer is the slowest; it must still come first.
            let delay = req.url == "/1" ? 30 : 0
            setTimeout(delay) { res.end(req.url) }
        }
        let reply = try await rawExchange(
            port,
            "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n"
        ) { $0.hasSuffix("/3") }
        let bodies = reply.text.split(separator: "\r\n\r\n").dropFirst().map { String($0.prefix(2)) }
        #expect(bodies == ["/1", "/2", "/3"])
        server.close()
    }

    @Test func thousandKeepAliveRequestsOnOneConnection() async throws {
        var connections = 0
        var requests = 0
        let (server, port) = try await listeningHTTPServer { _, res in
            requests += 1
            res.end("ok")
        }
        server.on(.connection) { _ in connections += 1 }
        let count = 1000
        // A thousand round trips, each a few turns of the one loop every test shares: beside a
        // whole `swift test` on two cores that once took more than 30 s.
        let reply: Int = try await waitFor("1000 responses", seconds: 50) { done in
            let socket = net.connect(port)
            var received = 0
            var text = ""
            socket.on(.data) { data in
                text += data.toString()
                while let range = text.range(of: "\r\n\r\nok") {
                    text.removeSubrange(text.startIndex..<range.upperBound)
                    received += 1
                    if received < count {
                        socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                    } else {
                        done(received)
                    }
                }
            }
            socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        }
        #expect(reply == count)
        #expect(requests == count)
        #expect(connections == 1)
        server.closeAllConnections()
        server.close()
    }

    /// Node 20 leaves an upgraded socket alone in `closeAllConnections` (checked with a Node
    /// script): it belongs to the `upgrade` listener now, not to HTTP.
    @Test func closeAllConnectionsLeavesAnUpgradedSocketToItsListener() async throws {
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        server.on(.upgrade) { _, socket, _ in
            socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
            socket.on(.data) { socket.write($0) }
        }
        let echoed: String = try await waitFor("an echo after closeAllConnections") { done in
            let client = net.connect(port, "127.0.0.1")
            var text = ""
            client.on(.data) { data in
                text += data.toString()
                if text.hasSuffix("\r\n\r\n") {
                    server.closeAllConnections()
                    client.write("ping")
                } else if text.hasSuffix("ping") {
                    client.destroy()
                    done("ping")
                }
            }
            client.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
        }
        #expect(echoed == "ping")
    }

    @Test func expectContinueWithoutListenerAnswers100AndEmitsRequestBeforeTheBody() async throws {
        let log = EventLog()
        let (server, port) = try await listeningHTTPServer { req, res in
            log.add("request complete=\(req.complete)")
            var body = ""
            req.on(.data) { body += $0.toString() }
            req.on(.end) { res.end("got \(body)") }
        }
        let socket = net.connect(port)
        let continued: String = try await waitFor("100 Continue") { done in
            socket.on(.data) { done($0.toString()) }
            socket.write("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
        }
        #expect(continued == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(log.entries == ["request complete=false"], "request fires right after 100, before any body")
        let reply: String = try await waitFor("final response") { done in
            var text = ""
            socket.on(.data) { data in
                text += data.toString()
                if text.hasSuffix("got abc") { done(text) }
            }
            socket.write("abc")
        }
        #expect(
            reply.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK")
                || reply.hasPrefix("HTTP/1.1 200 OK"))
        socket.destroy()
        server.close()
    }

    @Test func checkContinueListenerMayRefuseWithoutRequestEvent() async throws {
        let log = EventLog()
        let (server, port) = try await listeningHTTPServer { _, res in
            log.add("request")
            res.end()
        }
        server.on(.checkContinue) { req, res in
            log.add("checkContinue \(req.headers["content-length"] ?? "")")
            res.writeHead(417)
            res.end()
        }
        let reply = try await rawExchange(
            port, "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 99999\r\n\r\n")
        #expect(log.entries == ["checkContinue 99999"])
        #expect(
            reply.text
                == "HTTP/1.1 417 Expectation Failed\r\nDate: D\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        )
        #expect(reply.closed, "the body was never sent, so the connection cannot carry another request")
        server.close()
    }

    @Test func otherExpectationsGet417AndTheConnectionStays() async throws {
        let (server, port) = try await listeningHTTPServer()
        let reply = try await rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n") {
            $0.hasSuffix("0\r\n\r\n")
        }
        #expect(
            reply.text
                == "HTTP/1.1 417 Expectation Failed\r\nDate: D\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        )
        server.close()
    }

    /// `100-continue` counts as Node's `/(?:^|\W)100-continue(?:$|\W)/i` finds it: among other
    /// expectations, with parameters, on a second `Expect` line; not inside a longer word. The
    /// answers are node 20's to the same heads.
    @Test(arguments: [
        ("Expect: 100-continue, foo", "100 Continue"), ("Expect: foo, 100-continue", "100 Continue"),
        ("Expect: 100-Continue;x=1", "100 Continue"), ("Expect: foo\r\nExpect: 100-continue", "100 Continue"),
        ("Expect: x100-continue", "417 Expectation Failed"),
        ("Expect: 100-continues", "417 Expectation Failed"),
        ("Expect: 100_continue", "417 Expectation Failed"),
    ])
    func anExpectationIsReadAsNodeReadsIt(expect: String, status: String) async throws {
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        let head = "POST / HTTP/1.1\r\nHost: x\r\n\(expect)\r\nContent-Length: 2\r\n\r\n"
        let reply = try await rawExchange(port, head) { $0.contains("\r\n\r\n") }
        #expect(reply.text.hasPrefix("HTTP/1.1 \(status)\r\n"), "\(reply.text)")
    }

    @Test func connectWithoutListenerClosesTheConnection() async throws {
        let (server, port) = try await listeningHTTPServer()
        let reply = try await rawExchange(
            port, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
        #expect(reply.text == "")
        #expect(reply.closed)
        server.close()
    }

    @Test func connectHandsOverTheSocketAndTheBytesAfterTheHead() async throws {
        let (server, port) = try await listeningHTTPServer()
        server.on(.connect) { req, socket, head in
            socket.write("HTTP/1.1 200 Connection Established\r\n\r\n\(req.url) head=\(head.toString())|")
            socket.on(.data) { socket.write($0) }
        }
        let socket = net.connect(port)
        let reply: String = try await waitFor("tunnel echo") { done in
            var text = ""
            socket.on(.data) { data in
                text += data.toString()
                // Once the tunnel is open, bytes go straight to the connect listener's socket.
                if text.hasSuffix("|") { socket.write("later") }
                if text.hasSuffix("later") { done(text) }
            }
            socket.write("CONNECT db:5432 HTTP/1.1\r\nHost: db:5432\r\n\r\nearly")
        }
        #expect(reply == "HTTP/1.1 200 Connection Established\r\n\r\ndb:5432 head=early|later")
        socket.destroy()
        server.close()
    }

    @Test func upgradeWithoutListenerIsAnOrdinaryRequest() async throws {
        let (server, port) = try await listeningHTTPServer { req, res in res.end(req.url) }
        let socket = net.connect(port)
        let replies: String = try await waitFor("two answers") { done in
            var text = ""
            socket.on(.data) { data in
                text += data.toString()
                if text.hasSuffix("/first") {
                    socket.write("GET /second HTTP/1.1\r\nHost: x\r\n\r\n")
                } else if text.hasSuffix("/second") {
                    done(text)
                }
            }
            socket.write("GET /first HTTP/1.1\r\nHost: x\r\nUpgrade: foo\r\nConnection: upgrade\r\n\r\n")
        }
        #expect(replies.components("HTTP/1.1 200 OK") == 2)
        socket.destroy()
        server.close()
    }

    @Test func upgradeHandsOverTheSocket() async throws {
        let (server, port) = try await listeningHTTPServer { _, res in res.end("not upgraded") }
        server.on(.upgrade) { req, socket, head in
            socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
            socket.write("[\(req.headers["upgrade"] ?? "")] \(head.toString())")
            socket.on(.data) { socket.write($0) }
        }
        let reply = try await rawExchange(
            port,
            "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: keep-alive, Upgrade\r\n\r\nhello"
        ) { $0.hasSuffix("hello") }
        #expect(
            reply.text
                == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n[echo] hello"
        )
        server.close()
    }

    /// An upgraded socket is the `upgrade` listener's alone: the server takes its own listeners
    /// off it, as Node 20 does (checked with node: `data`, `close`, `drain`, `error` and `timeout`
    /// have none left; `end` has one, net.Socket's own), and the request emits nothing more when
    /// the socket closes. NodeNet keeps net.Socket's handler and the server's outside the emitter
    /// (the server's connection is the socket's `SocketOwner` until the upgrade).
    @Test func anUpgradedSocketCarriesNoListenerOfTheServers() async throws {
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        var ownedByHTTP = true
        let (counts, requestEvents): ([Int], [String]) = try await waitFor("the upgraded socket's close") {
            done in
            server.on(.upgrade) { req, socket, _ in
                ownedByHTTP = socket.owner != nil
                var events: [String] = []
                req.on(.close) { events.append("close") }
                req.on(.end) { events.append("end") }
                let counts = [
                    socket.listenerCount(.data), socket.listenerCount(.end), socket.listenerCount(.close),
                    socket.listenerCount(.drain), socket.listenerCount(.error),
                    socket.listenerCount(.timeout),
                ]
                socket.on(.close) { _ in setImmediate { done((counts, events)) } }
                socket.destroy()
            }
            let client = net.connect(port, "127.0.0.1")
            client.on(.error) { _ in }
            client.write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
        }
        #expect(counts == [0, 0, 0, 0, 0, 0])
        #expect(!ownedByHTTP, "the server's connection still follows the upgraded socket")
        #expect(requestEvents.isEmpty)
    }

    @Test func clientErrorListenerGetsTheParserCode() async throws {
        let (server, port) = try await listeningHTTPServer()
        let code: String = try await waitFor("clientError") { done in
            server.on(.clientError) { error, socket in
                socket.end("HTTP/1.1 400 Bad Request\r\n\r\n")
                done(error.code)
            }
            Task { _ = try await rawExchange(port, "FOO / HTTP/1.1\r\nHost: x\r\n\r\n") }
        }
        #expect(code == "HPE_INVALID_METHOD")
        server.close()
    }

    @Test func aResetConnectionIsAClientErrorToo() async throws {
        // clientError is not only for bad requests: the socket's own errors arrive there.
        let (server, port) = try await listeningHTTPServer()
        let code: String = try await waitFor("clientError") { done in
            server.on(.clientError) { error, socket in
                socket.destroy()
                done(error.code)
            }
            let socket = net.connect(port)
            socket.write("GET / HTTP/1.1\r\nHo") { _ in socket.resetAndDestroy() }
        }
        #expect(code == "ECONNRESET")
        server.close()
    }

    @Test func parseErrorAfterAResponseClosesWithoutA400() async throws {
        // Node answers 400 only when nothing was written on the connection yet.
        let (server, port) = try await listeningHTTPServer()
        let reply = try await rawExchange(port, get + "FOO / HTTP/1.1\r\n\r\n")
        #expect(
            reply.text
                == "HTTP/1.1 200 OK\r\nDate: D\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 2\r\n\r\nok"
        )
        #expect(reply.closed)
        server.close()
    }

    @Test func aRequestAfterConnectionCloseIsNotAnswered() async throws {
        // Node 20 answers the first request and closes; the second, in the same packet, is dropped.
        let (server, port) = try await listeningHTTPServer()
        let reply = try await rawExchange(
            port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + get)
        #expect(
            reply.text == "HTTP/1.1 200 OK\r\nDate: D\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
        #expect(reply.closed)
        server.close()
    }

    @Test func anUnreadBodyIsDumpedSoTheNextRequestIsServed() async throws {
        let (server, port) = try await listeningHTTPServer { req, res in res.end(req.url) }
        let reply = try await rawExchange(
            port,
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nHost: x\r\n\r\n"
        ) { $0.hasSuffix("/b") }
        #expect(reply.text.components("HTTP/1.1 200 OK") == 2)
        server.close()
    }

    @Test func maxRequestsPerSocketAnswers503Beyond() async throws {
        var dropped = 0
        let (server, port) = try await listeningHTTPServer(HTTPServerOptions(maxRequestsPerSocket: 2))
        server.on(.dropRequest) { _, _ in dropped += 1 }
        let reply = try await rawExchange(port, get + get + get)
        #expect(reply.text.contains("Keep-Alive: timeout=5, max=2\r\n"))
        #expect(reply.text.components("Connection: close\r\n") == 2)
        #expect(reply.text.contains("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(dropped == 1)
        #expect(reply.closed)
        server.close()
    }
}

extension String {
    /// How many times `piece` occurs.
    func components(_ piece: String) -> Int {
        var count = 0
        var rest = Substring(self)
        while let range = rest.firstRange(of: piece) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }

    func range(of piece: String) -> Range<String.Index>? { firstRange(of: piece) }
}
