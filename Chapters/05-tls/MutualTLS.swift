import NodeNet

/// A TLS echo server that asks every client for a certificate from our CA (mutual TLS), and
/// says who connected and whether that client was verified.
@NodeActor @discardableResult
func startMutualTLSServer(
    _ files: KeyFiles, port: Int, onListening: @escaping @NodeActor (Int) -> Void = { _ in }
) -> TLSServer? {
    // excerpt: server
    let server: TLSServer
    do {
        server = try tls.createServer(files.options.server) { socket in
            let client = socket.getPeerCertificate()?.subject ?? "no certificate"
            print("server: secure connection from \(client), authorized: \(socket.authorized)")
            print("server: \(socket.getProtocol() ?? "?"), \(socket.getCipher()?.standardName ?? "?")")
            socket.on(.data) { socket.write($0) }
            socket.on(.error) { error in print("server: connection failed: \(error.code)") }
        }
    } catch {
        print("server: \(error.message) (\(error.code))")
        process.exitCode = 1
        return nil
    }
    // A certificate the server cannot verify is refused as "socket hang up"; the socket says why.
    server.on(.tlsClientError) { error, socket in
        let why = socket.authorizationError.map { " (\($0))" } ?? ""
        print("server: refused a client: \(error.code)\(why)")
    }
    // end excerpt
    server.listen(port, "127.0.0.1") {
        let bound = server.address()?.port ?? port
        print("server: listening on 127.0.0.1:\(bound)")
        onListening(bound)
    }
    return server
}

/// The client of §5: connects with its certificate, says what it verified of the server,
/// sends a line and prints the echo.
@NodeActor func talkToTheServer(_ files: KeyFiles, port: Int, host: String) async {
    await until { done in
        // excerpt: client
        let socket = tls.connect(port, host, files.options.client)
        socket.on(.secureConnect) {
            let server = socket.getPeerCertificate()
            print("client: \(host) presented \(server?.subject ?? "?"), issued by \(server?.issuer ?? "?")")
            print("client: server authorized: \(socket.authorized)")
            socket.write("你好，TLS")
        }
        socket.on(.data) { data in
            print("client: echo: \(data.toString())")
            socket.end()
        }
        // end excerpt
        socket.on(.error) { error in
            print("client: refused: \(error.code): \(error.message)")
            process.exitCode = 1
        }
        socket.on(.close) { _ in done() }
    }
}

/// `tls-certs demo`: the keys made in memory, the mutual-TLS server on a free port, one client.
@NodeActor func runTheDemo() async {
    let files: KeyFiles
    do {
        let keys = try BooksKeys.make { command, file in print("  \(file) ← \(command)") }
        files = KeyFiles(options: (try keys.serverOptions(), try keys.clientOptions()))
    } catch {
        print("could not make the keys: \(error)")
        process.exitCode = 1
        return
    }
    print()
    var server: TLSServer?
    let port = await until { done in server = startMutualTLSServer(files, port: 0, onListening: done) }
    await talkToTheServer(files, port: port, host: "localhost")
    if let server { await until { done in server.close { _ in done() } } }
}
