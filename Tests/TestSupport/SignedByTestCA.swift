import Foundation
import NodeNet

/// A key and a certificate for it, as PEM text (what `TLSOptions(key:cert:)` takes).
public struct Identity: Sendable {
    /// The private key, PKCS#8 PEM.
    public let key: String
    /// The certificate, PEM.
    public let cert: String

    /// A key and its certificate.
    public init(key: String, cert: String) {
        self.key = key
        self.cert = cert
    }
}

extension TestCertificates {
    /// The test CA (`ca.crt` with its `ca.key`), to sign certificates a test needs beyond the
    /// shared ones.
    public func authority() throws -> CertificateAuthority {
        try CertificateAuthority(
            certificate: try X509Certificate(pem: caCert),
            privateKey: try crypto.createPrivateKey(
                try String(contentsOf: folder.appendingPathComponent("ca.key"), encoding: .utf8)))
    }

    /// A new EC key and a server certificate for it from the test CA: `names` are its
    /// subjectAltNames (`DNS:…`, `IP:…`), the first DNS name its CN; valid for `validity`.
    public func serverIdentity(
        _ names: [String], validity: CertificateValidity = .days(1), key: KeyObject? = nil
    ) throws -> Identity {
        let key = try key ?? crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let commonName = names.first { $0.hasPrefix("DNS:") }.map { String($0.dropFirst(4)) } ?? "server"
        let request = try CertificateSigningRequest(
            privateKey: key, subject: [("CN", commonName)], subjectAltNames: names)
        let certificate = try authority().sign(request, validity: validity, extendedKeyUsage: [.serverAuth])
        return Identity(key: try key.export(type: .pkcs8), cert: try certificate.pem)
    }
}

/// An HTTPS server with `identity` on a free loopback port, listening.
@NodeActor
public func listeningHTTPSServer(
    _ identity: Identity,
    _ onRequest: @escaping @NodeActor (IncomingMessage, ServerResponse) -> Void = { _, res in res.end("ok") }
) async throws -> (HTTPSServer, Int) {
    let server = try https.createServer(
        TLSOptions(key: identity.key, cert: identity.cert), HTTPServerOptions(), onRequest)
    server.on(.tlsClientError) { _, _ in }
    try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
    return (server, server.address()!.port)
}

/// What an HTTP(S) client got: the status, the headers and the body.
public struct FetchedResponse: Sendable {
    /// The status code.
    public let status: Int
    /// The headers, by lower-case name.
    public let headers: [String: String]
    /// The body as text.
    public let body: String
}

/// Sends `options` with `https.request` (no body) and waits for the whole answer, or for the
/// request's error, for at most `seconds`.
@NodeActor
public func fetchHTTPS(_ options: RequestOptions, seconds: Int = 30) async throws -> Result<
    FetchedResponse, NodeError
> {
    try await waitFor(
        "an answer from https://\(options.host):\(options.port)\(options.path)", seconds: seconds
    ) {
        done in
        let request = https.request(options) { res in
            var body: [UInt8] = []
            res.on(.data) { body += $0.bytes }
            res.on(.end) {
                done(
                    .success(
                        FetchedResponse(
                            status: res.statusCode, headers: res.headers,
                            body: String(decoding: body, as: UTF8.self))))
            }
        }
        request.on(.error) { done(.failure($0)) }
        request.end()
    }
}

extension TestCertificates {
    /// A TLS server on a free loopback port, listening, that requires a client certificate the
    /// test CA signed (`requestCert`, `rejectUnauthorized`), as chapter 5's server does.
    @NodeActor
    public func listeningMutualTLSServer(
        _ onSecureConnection: @escaping @NodeActor (TLSSocket) -> Void
    ) async throws -> TLSServer {
        let options = TLSOptions(
            key: serverKey, cert: serverCert, ca: [caCert], requestCert: true, rejectUnauthorized: true)
        let server = try tls.createServer(options, onSecureConnection)
        try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
        return server
    }
}
