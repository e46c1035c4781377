import COpenSSL
import NIOCore

/// A TLS connection, Node's `tls.TLSSocket`: a ``Socket`` whose bytes are encrypted on the
/// wire. It reads and writes plaintext like any socket; TLS happens in front of it.
///
/// Events besides a socket's: `secureConnect` (client: the handshake is done and the server's
/// certificate was judged). A server reports its side with `secureConnection`.
@NodeActor public final class TLSSocket: Socket {
    private let secureContext: SecureContext
    let options: TLSOptions
    private let isServerSide: Bool
    private var host: String?
    private var handshakeTimer: Timeout?

    /// Whether the peer's certificate was verified (by our CAs, and for a client, for the host).
    public private(set) var authorized = false
    /// Why the peer's certificate was not verified: Node's code, e.g. `SELF_SIGNED_CERT_IN_CHAIN`
    /// or `ERR_TLS_CERT_ALTNAME_INVALID`.
    public private(set) var authorizationError: String?
    /// Always true: this socket is encrypted (Node's `encrypted`).
    public let encrypted = true
    /// The protocol negotiated, `TLSv1.3` or `TLSv1.2`, once the handshake is done.
    public private(set) var negotiatedProtocol: String?
    /// The cipher negotiated, e.g. `TLS_AES_256_GCM_SHA384`.
    public private(set) var cipherName: String?
    /// Server side: the name the client asked for with SNI.
    public private(set) var servername: String?
    private var peerCertificate: OwnedX509?

    /// A server's side of a connection it accepted.
    init(server: TLSServer, channel: any Channel) {
        secureContext = server.secureContext
        options = server.tlsOptions
        isServerSide = true
        super.init(server: server, channel: channel)
        if options.handshakeTimeout > 0 {
            handshakeTimer = NodeNet.setTimeout(options.handshakeTimeout) { [weak self] in
                self?.handshakeFailed(
                    NodeError(code: "ERR_TLS_HANDSHAKE_TIMEOUT", message: "TLS handshake timeout"))
            }.unref()
        }
    }

    /// A client socket, not yet connected.
    init(options: TLSOptions, context: SecureContext, host: String, socketOptions: SocketOptions) {
        secureContext = context
        self.options = options
        isServerSide = false
        self.host = host
        super.init(options: socketOptions)
    }

    override func installHandlers(in channel: any Channel) throws {
        try super.installHandlers(in: channel)
        let serverName = isServerSide ? nil : (options.servername ?? host)
        let tls = try TLSHandler(
            context: secureContext, isServer: isServerSide, serverName: serverName, socket: self)
        try channel.pipeline.syncOperations.addHandler(tls, position: .first)
    }

    /// `TLSv1.3`, `TLSv1.2`, or nil before the handshake (Node's `getProtocol()`).
    public func getProtocol() -> String? { negotiatedProtocol }

    // MARK: The handshake's outcome

    func handshakeCompleted(_ result: HandshakeResult) {
        handshakeTimer?.close()
        handshakeTimer = nil
        negotiatedProtocol = result.protocolVersion
        cipherName = result.cipher
        servername = result.servername
        peerCertificate = result.peerCertificate
        let verifyResult = result.verifyResult
        var problem: NodeError?
        if peerCertificate == nil {
            problem =
                isServerSide ? nil : NodeError(code: "UNABLE_TO_GET_ISSUER_CERT", message: "no certificate")
        } else if verifyResult != X509_V_OK {
            problem = NodeError(verifyError: verifyResult)
        } else if !isServerSide, let name = options.servername ?? host, let certificate = peerCertificate {
            problem = checkServerIdentity(name, certificate.pointer)
        }
        authorized = peerCertificate != nil && problem == nil
        authorizationError = problem?.code
        if isServerSide {
            guard let server = server as? TLSServer else { return }
            if options.requestCert && options.rejectUnauthorized, let problem {
                server.emit(.tlsClientError, (problem, self))
                return destroy()
            }
            server.emit(.secureConnection, self)
        } else {
            if options.rejectUnauthorized, let problem { return destroy(problem) }
            emit(.secureConnect)
        }
    }

    func handshakeFailed(_ error: NodeError) {
        handshakeTimer?.close()
        handshakeTimer = nil
        guard !destroyed else { return }
        if isServerSide, let server = server as? TLSServer {
            server.emit(.tlsClientError, (error, self))
            destroy()
        } else {
            destroy(error)
        }
    }
}

extension Event where Emitter: TLSSocket, Payload == Void {
    /// Client: the handshake is done and, unless `rejectUnauthorized` is false, the server's
    /// certificate verified for the host. Data written before this was held until now.
    public static var secureConnect: Self { Self("secureConnect") }
}

extension NodeError {
    /// A certificate verification failure, named as Node names it: OpenSSL's `X509_V_ERR_`
    /// constant without the prefix (`CERT_HAS_EXPIRED`), with OpenSSL's text as the message.
    init(verifyError: Int32) {
        let text = String(cString: X509_verify_cert_error_string(Int(verifyError)))
        self.init(code: X509VerifyErrorNames.name(of: verifyError), message: text)
    }
}

/// Node's `tls.checkServerIdentity`: the certificate's DNS or IP subjectAltNames (or, without
/// any DNS name, its common name) must match `host`.
@NodeActor func checkServerIdentity(_ host: String, _ certificate: OpaquePointer) -> NodeError? {
    let matched =
        isIPAddress(host)
        ? X509_check_ip_asc(certificate, host, 0) == 1
        : X509_check_host(certificate, host, host.utf8.count, 0, nil) == 1
    if matched { return nil }
    return NodeError(
        code: "ERR_TLS_CERT_ALTNAME_INVALID",
        message:
            "Hostname/IP does not match certificate's altnames: Host: \(host). is not in the cert's altnames")
}

/// The names of OpenSSL's verification errors that a TLS program meets.
enum X509VerifyErrorNames {
    static func name(of code: Int32) -> String {
        let names: [Int32: String] = [
            X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: "UNABLE_TO_GET_ISSUER_CERT",
            X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
            X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: "DEPTH_ZERO_SELF_SIGNED_CERT",
            X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: "SELF_SIGNED_CERT_IN_CHAIN",
            X509_V_ERR_CERT_HAS_EXPIRED: "CERT_HAS_EXPIRED",
            X509_V_ERR_CERT_NOT_YET_VALID: "CERT_NOT_YET_VALID",
            X509_V_ERR_CERT_SIGNATURE_FAILURE: "CERT_SIGNATURE_FAILURE",
            X509_V_ERR_INVALID_CA: "INVALID_CA",
            X509_V_ERR_EE_KEY_TOO_SMALL: "EE_KEY_TOO_SMALL",
            X509_V_ERR_CA_KEY_TOO_SMALL: "CA_KEY_TOO_SMALL",
            X509_V_ERR_HOSTNAME_MISMATCH: "HOSTNAME_MISMATCH",
            X509_V_ERR_CERT_REVOKED: "CERT_REVOKED",
        ]
        return names[code] ?? "CERT_VERIFY_ERROR_\(code)"
    }
}

/// What the handshake settled, read from OpenSSL on the loop thread and handed to the socket
/// on the loop's actor (the same thread).
struct HandshakeResult: @unchecked Sendable {
    let protocolVersion: String
    let cipher: String?
    let servername: String?
    let verifyResult: Int32
    let peerCertificate: OwnedX509?

    init(_ ssl: OpaquePointer) {
        protocolVersion = String(cString: SSL_get_version(ssl))
        cipher = SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) }
        servername = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
        verifyResult = Int32(SSL_get_verify_result(ssl))
        peerCertificate = SSL_get1_peer_certificate(ssl).map(OwnedX509.init)
    }
}

/// An `X509*` this program owns one reference to, released with it.
final class OwnedX509: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }
}
