import NodeNet

/// §3.3 from the client's side: `http.request` fires every server event, and prints what it saw.
/// Without `url` it starts the events server itself, so its lines and the server's interleave.
@NodeActor func driveEveryEvent(url: String?) async {
    let echo = net.createServer { socket in socket.on(.data) { socket.write($0) } }
    await until { done in echo.listen(0, "127.0.0.1", done) }
    var server: HTTPServer?
    var base = url ?? ""
    if url == nil {
        let local = startEventsServer(port: 0, host: "127.0.0.1")
        await until { done in local.once(.listening, done) }
        base = "http://127.0.0.1:\(local.address()!.port)"
        server = local
    }
    guard var options = RequestOptions(url: base) else {
        print("not an http:// URL: \(base)")
        process.exitCode = 1
        echo.close()
        return
    }
    // One connection at a time, kept alive: the keep-alive step shows it reused.
    let agent = Agent(keepAlive: true, maxSockets: 1)
    options.agent = agent

    print("\n== keep-alive: two requests through one agent ==")
    for path in ["/first", "/second"] {
        var get = options
        get.path = path
        await exchange(get) { req in req.end() }
    }
    agent.destroy()
    options.agent = nil

    // excerpt: expect-continue
    print("\n== Expect: 100-continue, a small upload ==")
    var upload = options
    upload.method = "POST"
    upload.path = "/upload"
    upload.headers = [("Expect", "100-continue"), ("Content-Length", "5")]
    await exchange(upload) { req in
        req.on(.continue) {
            print("client: continue → sending the body")
            req.end("hello")
        }
    }
    // end excerpt

    print("\n== Expect: 100-continue, too big ==")
    upload.headers = [("Expect", "100-continue"), ("Content-Length", "4096")]
    await exchange(upload) { req in
        req.on(.continue) { req.end(Buffer.alloc(4096)) }
    }

    print("\n== Expect: something else ==")
    var magic = options
    magic.headers = [("Expect", "magic")]
    await exchange(magic) { req in req.end() }

    // excerpt: connect
    print("\n== CONNECT: a tunnel to an echo server ==")
    var tunnel = options
    tunnel.method = "CONNECT"
    tunnel.path = "127.0.0.1:\(echo.address()!.port)"
    await until { done in
        let req = http.request(tunnel)
        req.on(.connect) { res, socket, _ in
            // Only the code: NIO's parser keeps the standard phrase, not the server's own.
            print("client: connect \(res.statusCode)")
            socket.on(.data) { data in
                print("client: through the tunnel: \(data.toString())")
                socket.end()
            }
            socket.on(.close) { _ in done() }
            socket.write("ping")
        }
        req.on(.response) { res in
            print("client: no tunnel: \(res.statusCode)")
            res.resume()
            done()
        }
        req.on(.error) { error in
            print("client: error \(error.code)")
            done()
        }
        req.end()
    }
    // end excerpt

    print("\n== Upgrade: echo ==")
    var upgrade = options
    upgrade.path = "/echo"
    upgrade.headers = [("Upgrade", "echo"), ("Connection", "Upgrade")]
    await until { done in
        let req = http.request(upgrade)
        req.on(.upgrade) { res, socket, _ in
            print("client: upgrade \(res.statusCode) \(res.statusMessage)")
            socket.on(.data) { data in
                print("client: echoed: \(data.toString())")
                socket.end()
            }
            socket.on(.close) { _ in done() }
            socket.write("hello, raw bytes")
        }
        req.on(.response) { res in
            print("client: not upgraded: \(res.statusCode)")
            res.resume()
            done()
        }
        req.on(.error) { _ in done() }
        req.end()
    }

    print("\n== a method the server's parser refuses ==")
    var bad = options
    bad.method = "FOO"
    await exchange(bad) { req in req.end() }

    print("\n== an oversized header ==")
    var big = options
    big.headers = [("X-Big", String(repeating: "a", count: 17000))]
    await exchange(big) { req in req.end() }

    if let server { await until { done in server.close { _ in done() } } }
    echo.close()
}

/// Sends one request (`send` writes and ends it) and prints the answer's status and body.
@NodeActor func exchange(_ options: RequestOptions, _ send: (ClientRequest) -> Void) async {
    await until { done in
        let req = http.request(options) { res in
            var body = ""
            res.on(.data) { body += $0.toString() }
            res.on(.end) {
                let text = body.isEmpty ? "" : ": \(body.trimmingTrailingNewline)"
                print(
                    "client: \(options.method) \(options.path) → \(res.statusCode) \(res.statusMessage)\(text)"
                )
                done()
            }
        }
        req.on(.error) { error in
            print("client: \(options.method) \(options.path) → \(error.code) (\(error.message))")
            done()
        }
        send(req)
    }
}

extension String {
    var trimmingTrailingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
