import NodeNet

/// §5.1's man in the middle. The real server has a certificate from our CA. An interceptor
/// sits between it and the client, and presents a certificate of its own for the same name,
/// from a CA it made up; it decrypts, reads, and re-encrypts toward the real server. A client
/// that checks certificates refuses it; one that does not would hand it everything.
@NodeActor func showTheManInTheMiddle() async {
    let real: BooksKeys
    let forged: BooksKeys
    do {
        real = try BooksKeys.make()
        // The interceptor's own CA (it even gives it the same name) and a certificate it
        // signed for the same host, localhost.
        forged = try BooksKeys.make()
    } catch {
        print("could not make the keys: \(error)")
        process.exitCode = 1
        return
    }
    guard let realServerOptions = try? real.serverOptions(requestCert: false),
        let forgedServerOptions = try? forged.serverOptions(requestCert: false),
        let clientOptions = try? real.clientOptions()
    else { return }
    var servers: [TLSServer] = []
    // The real server: it answers a question with a secret.
    guard
        let server = try? tls.createServer(
            realServerOptions,
            { socket in socket.on(.data) { _ in socket.end("the secret the client came for") } })
    else { return }
    servers.append(server)
    let realPort = await until { done in server.listen(0, "127.0.0.1") { done(server.address()!.port) } }
    // excerpt: interceptor
    // The interceptor: TLS to the client with its own certificate, TLS on to the real server.
    guard
        let interceptor = try? tls.createServer(
            forgedServerOptions,
            { victim in
                let upstream = tls.connect(
                    realPort, "localhost", TLSOptions(ca: [try! real.ca.certificate.pem]))
                victim.on(.data) { data in
                    print("interceptor: read the question in the clear: \"\(data.toString())\"")
                    upstream.write(data)
                }
                upstream.on(.data) { data in
                    print("interceptor: read the answer in the clear: \"\(data.toString())\"")
                    victim.write(data)
                }
                upstream.on(.end) { victim.end() }
                upstream.on(.error) { _ in victim.destroy() }
                victim.on(.close) { _ in upstream.destroy() }
            })
    else { return }
    // end excerpt
    servers.append(interceptor)
    interceptor.on(.tlsClientError) { error, _ in print("interceptor: the client hung up: \(error.code)") }
    let interceptorPort = await until { done in
        interceptor.listen(0, "127.0.0.1") { done(interceptor.address()!.port) }
    }
    print("The client thinks it talks to localhost; its connection goes to the interceptor.\n")

    print("== a client that checks the certificate (rejectUnauthorized: true, Node's default) ==")
    await connectThrough(interceptorPort, clientOptions)

    print("\n== the same client with the check switched off (rejectUnauthorized: false) ==")
    var careless = clientOptions
    careless.rejectUnauthorized = false
    await connectThrough(interceptorPort, careless)
    print("\nBoth certificates say CN=localhost, issued by CN=NodeNet Book CA: names are easy to copy.")
    print("The signature is not: only our CA's private key signs what our CA's certificate verifies.")
    for server in servers { await until { done in server.close { _ in done() } } }
}

/// Connects to `port` as the client of `localhost` and says what happened.
@NodeActor private func connectThrough(_ port: Int, _ options: TLSOptions) async {
    await until { done in
        // excerpt: victim
        let socket = tls.connect(port, "localhost", options)
        socket.on(.secureConnect) {
            let presented = socket.getPeerCertificate()
            print(
                "client: connected; the certificate says \(presented?.subject ?? "?"), issued by \(presented?.issuer ?? "?")"
            )
            print("client: authorized: \(socket.authorized), why not: \(socket.authorizationError ?? "-")")
            socket.write("what is the secret?")
        }
        socket.on(.data) { data in print("client: received \"\(data.toString())\"") }
        socket.on(.error) { error in print("client: refused the connection: \(error.code) (\(error.message))")
        }
        // end excerpt
        socket.on(.close) { _ in done() }
    }
}
