import Foundation
import NodeNet

/// The files of §5.1: keys for the server and the client, their public keys, a CA, and
/// certificates the CA signed for both.
struct BooksKeys {
    let caKey: KeyObject
    let ca: CertificateAuthority
    let serverKey: KeyObject
    let serverCert: X509Certificate
    let clientKey: KeyObject
    let clientCert: X509Certificate

    /// Makes every key and certificate; `step` is told each one with its `openssl` twin.
    static func make(bits: Int = 2048, step: (String, String) -> Void = { _, _ in }) throws -> BooksKeys {
        // excerpt: keys
        // 生成服务器端私钥 (the book's 1024 bits are refused by TLS at security level 2)
        step("openssl genrsa -out server.key \(bits)", "server.key")
        let serverKey = try crypto.generateKeyPairSync(.rsa(modulusLength: bits)).privateKey
        // 生成客户端私钥
        step("openssl genrsa -out client.key \(bits)", "client.key")
        let clientKey = try crypto.generateKeyPairSync(.rsa(modulusLength: bits)).privateKey
        // end excerpt

        // excerpt: ca
        step("openssl genrsa -out ca.key \(bits)", "ca.key")
        let caKey = try crypto.generateKeyPairSync(.rsa(modulusLength: bits)).privateKey
        step(
            "openssl req -new -x509 -days 365 -key ca.key -subj \"/CN=NodeNet Book CA\" -addext keyUsage=critical,keyCertSign,cRLSign -out ca.crt",
            "ca.crt")
        let ca = try CertificateAuthority.selfSigned(
            privateKey: caKey, subject: [("CN", "NodeNet Book CA")], validity: .days(365))
        // end excerpt

        // excerpt: sign
        step(
            "openssl req -new -key server.key -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -out server.csr",
            "server.csr")
        let serverRequest = try CertificateSigningRequest(
            privateKey: serverKey, subject: [("CN", "localhost")],
            subjectAltNames: ["DNS:localhost", "IP:127.0.0.1"])
        step(
            "openssl x509 -req -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -copy_extensions copy \(leafExtensions("serverAuth")) -in server.csr -out server.crt",
            "server.crt")
        let serverCert = try ca.sign(serverRequest, validity: .days(365), extendedKeyUsage: [.serverAuth])
        // end excerpt

        step("openssl req -new -key client.key -subj /CN=student -out client.csr", "client.csr")
        let clientRequest = try CertificateSigningRequest(privateKey: clientKey, subject: [("CN", "student")])
        step(
            "openssl x509 -req -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \(leafExtensions("clientAuth")) -in client.csr -out client.crt",
            "client.crt")
        let clientCert = try ca.sign(clientRequest, validity: .days(365), extendedKeyUsage: [.clientAuth])
        return BooksKeys(
            caKey: caKey, ca: ca, serverKey: serverKey, serverCert: serverCert, clientKey: clientKey,
            clientCert: clientCert)
    }

    /// What `ca.sign` adds to a certificate, as `openssl x509 -req` is told it (bash or zsh: the
    /// file is the output of `printf`).
    static func leafExtensions(_ usage: String) -> String {
        "-extfile <(printf 'basicConstraints=CA:FALSE\\nkeyUsage=critical,digitalSignature,keyEncipherment\\nextendedKeyUsage=\(usage)\\n')"
    }

    /// The server's TLS options: its key and certificate, and the CA its clients must come from.
    func serverOptions(requestCert: Bool = true) throws -> TLSOptions {
        TLSOptions(
            key: try serverKey.export(type: .pkcs8), cert: try serverCert.pem, ca: [try ca.certificate.pem],
            requestCert: requestCert)
    }

    /// The client's TLS options: its key and certificate, and the CA it trusts.
    func clientOptions() throws -> TLSOptions {
        TLSOptions(
            key: try clientKey.export(type: .pkcs8), cert: try clientCert.pem, ca: [try ca.certificate.pem])
    }
}

/// The TLS options of the chapter's server and client, from the PEM files `tls-certs keys`
/// wrote (or from keys made in memory).
struct KeyFiles {
    let options: (server: TLSOptions, client: TLSOptions)

    init(options: (server: TLSOptions, client: TLSOptions)) {
        self.options = options
    }

    init(folder: URL) throws {
        func read(_ name: String) throws -> String {
            let file = folder.appendingPathComponent(name)
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                throw ValidationError("no \(file.path): run `swift run tls-certs keys \(folder.path)` first")
            }
            return text
        }
        let ca = try read("ca.crt")
        options = (
            TLSOptions(
                key: try read("server.key"), cert: try read("server.crt"), ca: [ca], requestCert: true),
            TLSOptions(key: try read("client.key"), cert: try read("client.crt"), ca: [ca])
        )
    }
}

struct ValidationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `tls-certs keys`: every file of §5.1, written to `folder`, each step shown with the `openssl`
/// command that does the same, then checked by `openssl` where it is installed. The private keys
/// are readable by their owner only, and are not replaced unless `force` is set.
func makeTheBooksKeys(in folder: URL, bits: Int = 2048, force: Bool = false) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let writer = KeyFileWriter(folder: folder, force: force)
    let privateKeys: Set = ["server.key", "client.key", "ca.key"]
    // Before any work: a second run must not silently replace the keys of the first.
    try writer.checkNoneExist(privateKeys.sorted())
    print("§5.1.1 秘钥 and §5.1.2 数字证书, in Swift; the openssl twin of each step on the right\n")
    let keys = try BooksKeys.make(bits: bits) { command, file in
        print("  \(file.padding(toLength: 11, withPad: " ", startingAt: 0)) ← \(command)")
    }
    let files: [(String, String)] = [
        ("server.key", try keys.serverKey.export(type: .pkcs8)),
        ("client.key", try keys.clientKey.export(type: .pkcs8)),
        ("server.pem", try keys.serverKey.publicHalfPEM()),
        ("client.pem", try keys.clientKey.publicHalfPEM()),
        ("ca.key", try keys.caKey.export(type: .pkcs8)),
        ("ca.crt", try keys.ca.certificate.pem),
        ("server.crt", try keys.serverCert.pem),
        ("client.crt", try keys.clientCert.pem),
    ]
    print(
        "  server.pem  ← openssl rsa -in server.key -pubout -out server.pem   # a PUBLIC key: the book says private"
    )
    print("  client.pem  ← openssl rsa -in client.key -pubout -out client.pem")
    for (name, text) in files {
        if privateKeys.contains(name) {
            try writer.writePrivateKey(name, text)
        } else {
            try writer.writePublic(name, text)
        }
    }
    print("\nwrote \(files.map(\.0).joined(separator: ", ")) to \(folder.path)")
    print("server.crt: subject \(keys.serverCert.subject), issuer \(keys.serverCert.issuer)")
    print("            \(keys.serverCert.subjectAltName ?? ""), valid to \(keys.serverCert.validTo)")
    print("            SHA-256 fingerprint \(keys.serverCert.fingerprint256)")
    checkWithOpenSSL(folder)
}

extension KeyObject {
    /// What `openssl rsa -pubout` writes: the public half, as SPKI PEM.
    func publicHalfPEM() throws -> String {
        try crypto.createPublicKey(self).export(type: .spki)
    }
}
