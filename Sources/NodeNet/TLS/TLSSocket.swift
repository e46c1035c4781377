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
    /// The cipher negotiated, by OpenSSL's name, e.g. `TLS_AES_256_GCM_SHA384` or
    /// `ECDHE-RSA-AES128-GCM-SHA256` (Node's `getCipher().name`).
    public var cipherName: String? { cipher?.name }
    private var cipher: TLSCipher?
    /// Server side: the name the client asked for with SNI.
    public private(set) var servername: String?
    /// The application protocol agreed with ALPN (`http/1.1`), or nil if none was.
    public private(set) var alpnProtocol: String?
    private var peerCertificate: X509Certificate?

    /// A server's side of a connection it accepted (a TLS or an HTTPS server).
    init(server: some SecureServer, channel: any Channel) throws {
        secureContext = server.secureContext
        options = server.tlsOptions
        isServerSide = true
        try super.init(server: server, channel: channel)
        if options.handshakeTimeout > 0 {
            handshakeTimer = NodeNet.setTimeout(min(options.handshakeTimeout, TimerDuration.maximum)) {
                [weak self] in
                self?.handshakeFailed(
                    NodeError(code: .tlsHandshakeTimeout, message: "TLS handshake timeout"))
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
            context: secureContext, isServer: isServerSide, serverName: serverName,
            refusesUnverifiedPeers: isServerSide && options.requestCert && options.rejectUnauthorized,
            socket: self)
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(tls, position: .after(try pipeline.handler(type: CallbackBoundary.self)))
    }

    /// `TLSv1.3`, `TLSv1.2`, or nil before the handshake (Node's `getProtocol()`).
    public func getProtocol() -> String? { negotiatedProtocol }

    /// The cipher negotiated, or nil before the handshake (Node's `getCipher()`).
    public func getCipher() -> TLSCipher? { cipher }

    /// The certificate the peer presented, or nil (a client the server did not ask; before the
    /// handshake). Node returns a plain object; this is the certificate itself, with the same
    /// fields (`subject`, `issuer`, `subjectAltName`, `validTo`, `fingerprint256`, …).
    public func getPeerCertificate() -> X509Certificate? { peerCertificate }

    // MARK: The handshake's outcome

    func handshakeCompleted(_ result: HandshakeResult) {
        handshakeTimer?.close()
        handshakeTimer = nil
        negotiatedProtocol = result.protocolVersion
        cipher = result.cipher
        servername = result.servername
        alpnProtocol = result.alpnProtocol
        peerCertificate = result.peerCertificate
        let verifyResult = result.verifyResult
        var problem: NodeError?
        if peerCertificate == nil {
            // A server that did not ask has nothing to judge; otherwise, as Node says it:
            let asked = !isServerSide || options.requestCert
            problem =
                asked
                ? NodeError(code: .unableToGetIssuerCert, message: "unable to get issuer certificate")
                : nil
        } else if verifyResult != X509_V_OK {
            problem = NodeError.certificateVerification(Int(verifyResult))
        } else if !isServerSide, let name = options.servername ?? host, let certificate = peerCertificate {
            problem = options.checkServerIdentity(name, certificate)
        }
        authorized = peerCertificate != nil && problem == nil
        authorizationError = problem?.code
        if isServerSide {
            guard let server = server as? any SecureServer else { return }
            if options.requestCert && options.rejectUnauthorized, problem != nil {
                // As Node reports it: the server hung up on the client ("socket hang up"); the
                // reason is the socket's `authorizationError`.
                server.secureFailed(.socketHangUp, self)
                return destroy()
            }
            server.secured(self)
        } else {
            if options.rejectUnauthorized, let problem { return destroy(problem) }
            emit(.secureConnect)
        }
    }

    func handshakeFailed(_ error: NodeError) {
        handshakeTimer?.close()
        handshakeTimer = nil
        // A socket the program destroyed itself is not a failed handshake.
        guard !destroyed, !destroyRequested else { return }
        if isServerSide, let server = server as? any SecureServer {
            server.secureFailed(error, self)
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

/// What the handshake settled, read from OpenSSL on the loop thread and handed to the socket
/// on the loop's actor (the same thread).
struct HandshakeResult: @unchecked Sendable {
    let protocolVersion: String
    let cipher: TLSCipher?
    let servername: String?
    let verifyResult: Int32
    let alpnProtocol: String?
    let peerCertificate: X509Certificate?

    init(_ ssl: OpaquePointer) {
        protocolVersion = String(cString: SSL_get_version(ssl))
        cipher = SSL_get_current_cipher(ssl).map {
            TLSCipher(
                name: String(cString: SSL_CIPHER_get_name($0)),
                standardName: String(cString: SSL_CIPHER_standard_name($0)),
                version: String(cString: SSL_CIPHER_get_version($0)))
        }
        servername = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
        verifyResult = Int32(SSL_get_verify_result(ssl))
        var selected: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &selected, &length)
        alpnProtocol = selected.map {
            String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self)
        }
        peerCertificate = SSL_get1_peer_certificate(ssl).map { X509Certificate(taking: $0) }
    }

    /// The peer presented a certificate that our CAs verify.
    var peerIsVerified: Bool { peerCertificate != nil && verifyResult == X509_V_OK }
}

/// A cipher as Node's `tlsSocket.getCipher()` describes it.
public struct TLSCipher: Sendable, Equatable {
    /// OpenSSL's name: `ECDHE-RSA-AES128-GCM-SHA256`, `TLS_AES_256_GCM_SHA384`.
    public let name: String
    /// The IANA name: `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256` (for TLS 1.3 suites, the same).
    public let standardName: String
    /// The TLS version the cipher belongs to: `TLSv1.2`, `TLSv1.3`.
    public let version: String
}
