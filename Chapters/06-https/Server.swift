import NodeNet

/// §6: chapter 3's kind of server, over TLS. Every request is answered with a short page that
/// says what the connection is made of.
@NodeActor @discardableResult
func startHTTPSServer(
    _ options: TLSOptions, port: Int, onListening: @escaping @NodeActor (Int) -> Void = { _ in }
) -> HTTPSServer? {
    // excerpt: server
    let server: HTTPSServer
    do {
        server = try https.createServer(options) { req, res in
            let socket = req.socket as? TLSSocket
            let tls = "\(socket?.getProtocol() ?? "?"), \(socket?.getCipher()?.standardName ?? "?")"
            print("\(req.method) \(req.url) over \(tls)")
            res.setHeader("Content-Type", "text/plain; charset=utf-8")
            res.end("hello over HTTPS (\(tls))\n")
        }
    } catch {
        print("https-server: \(error.message) (\(error.code))")
        process.exitCode = 1
        return nil
    }
    // A browser that does not trust our CA, or plain HTTP on this port, ends here.
    server.on(.tlsClientError) { error, _ in print("a client's handshake failed: \(error.code)") }
    // end excerpt
    server.listen(port, "127.0.0.1") {
        let bound = server.address()?.port ?? port
        print("HTTPS server on https://localhost:\(bound)/")
        print("try: curl --cacert keys/ca.crt https://localhost:\(bound)/")
        onListening(bound)
    }
    return server
}

/// A verified request: our CA is the only one trusted, and the host name must match.
@NodeActor func fetch(_ url: String, trusting ca: String) async {
    await until { done in
        // excerpt: client
        var options = RequestOptions(agent: nil)
        options.tls = TLSOptions(ca: [ca])
        let request = https.get(url, options) { res in
            let certificate = (res.socket as? TLSSocket)?.getPeerCertificate()
            print(
                "client: \(res.statusCode) from \(certificate?.subject ?? "?"), issued by \(certificate?.issuer ?? "?")"
            )
            res.on(.data) { print("client: \($0.toString())", terminator: "") }
            res.on(.end) { done() }
        }
        request.on(.error) { error in
            print("client: \(error.code): \(error.message)")
            process.exitCode = 1
            done()
        }
        // end excerpt
    }
}

/// `https-server demo`: a CA and a server certificate made in memory, the server on a free
/// port, a verified request, and the request that does not trust our CA.
@NodeActor func runTheDemo() async {
    let files: CertificateFiles
    do {
        let caKey = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let ca = try CertificateAuthority.selfSigned(privateKey: caKey, subject: [("CN", "NodeNet Book CA")])
        let key = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let request = try CertificateSigningRequest(
            privateKey: key, subject: [("CN", "localhost")],
            subjectAltNames: ["DNS:localhost", "IP:127.0.0.1"])
        let certificate = try ca.sign(request)
        files = CertificateFiles(
            server: TLSOptions(key: try key.export(type: .pkcs8), cert: try certificate.pem),
            ca: try ca.certificate.pem)
    } catch {
        print("could not make the certificate: \(error)")
        process.exitCode = 1
        return
    }
    var server: HTTPSServer?
    let port = await until { done in server = startHTTPSServer(files.server, port: 0, onListening: done) }
    print("\n== a client that trusts our CA ==")
    await fetch("https://localhost:\(port)/hello", trusting: files.ca)
    print("\n== a client that trusts only the system's CAs ==")
    await until { done in
        https.get("https://localhost:\(port)/", RequestOptions(agent: nil)) { _ in done() }
            .on(.error) { error in
                print("client: \(error.code): \(error.message)")
                done()
            }
    }
    if let server { await until { done in server.close { _ in done() } } }
}
