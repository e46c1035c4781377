import COpenSSL

/// An OpenSSL `SSL_CTX` made from ``TLSOptions``: what `tls.createSecureContext` makes in Node.
/// Every connection of a server shares its server's.
final class SecureContext {
    let pointer: OpaquePointer

    init(_ options: TLSOptions, isServer: Bool) throws(NodeError) {
        guard let pointer = SSL_CTX_new(isServer ? TLS_server_method() : TLS_client_method()) else {
            throw NodeError.openSSL("SSL_CTX_new failed")
        }
        self.pointer = pointer
        let wire = options.alpnProtocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        alpnWire = .allocate(capacity: wire.count)
        _ = alpnWire.initialize(from: wire)
        // No renegotiation (a denial-of-service lever); a FIN without close_notify is an end. A
        // server picks the cipher by its own order, as Node's does (`honorCipherOrder` is on
        // by default there).
        SSL_CTX_set_options(
            pointer,
            NODENET_SSL_OP_NO_RENEGOTIATION | NODENET_SSL_OP_IGNORE_UNEXPECTED_EOF
                | (isServer ? NODENET_SSL_OP_CIPHER_SERVER_PREFERENCE : 0))
        try setVersions(options)
        // TLS 1.2's ciphers; TLS 1.3's suites are OpenSSL's default, in the order Node names them.
        if SSL_CTX_set_cipher_list(pointer, options.ciphers ?? Self.nodesDefaultCiphers) != 1 {
            throw NodeError.openSSL("no cipher match")
        }
        try useIdentity(key: options.key, cert: options.cert)
        try trust(options.ca)
        // The peer's chain is checked during the handshake but judged after it, as Node does:
        // the callback lets verification run to the end, so the result is the last problem
        // found (`UNABLE_TO_VERIFY_LEAF_SIGNATURE` for a lone certificate nobody we trust
        // signed, where stopping at the first would say `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`).
        // A server asks for the client's certificate only with requestCert, and then a missing
        // one is refused in the handshake itself.
        var mode = SSL_VERIFY_NONE
        if isServer && options.requestCert {
            mode = SSL_VERIFY_PEER | (options.rejectUnauthorized ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0)
        }
        SSL_CTX_set_verify(pointer, mode) { _, _ in 1 }
        if isServer {
            // A server that asks for certificates resumes a session only within a session ID
            // context; without one OpenSSL fails the resuming handshake with internal_error
            // (`ERR_SSL_SESSION_ID_CONTEXT_UNINITIALIZED`). Node sets one on every server.
            let context = Array("NodeNet".utf8)
            SSL_CTX_set_session_id_context(pointer, context, UInt32(context.count))
        }
        if isServer && !alpnWire.isEmpty {
            SSL_CTX_set_alpn_select_cb(
                pointer, chooseApplicationProtocol, Unmanaged.passUnretained(self).toOpaque())
        }
    }

    deinit {
        SSL_CTX_free(pointer)
        alpnWire.deallocate()
    }

    /// The ALPN protocols, in the wire format both ends use: each name after its length byte. In
    /// memory of its own, at a fixed address for the context's life: the server's callback hands
    /// OpenSSL a pointer into it, which must outlive the callback.
    let alpnWire: UnsafeMutableBufferPointer<UInt8>

    /// Other certificates a server presents to clients that ask for a given host name (SNI),
    /// in the order added: (pattern, context), the pattern a name or `*.domain`.
    private var namedContexts: [(String, SecureContext)] = []

    /// Adds a certificate for clients asking (with SNI) for `hostname` (Node's
    /// `server.addContext`): the first time, OpenSSL is told to ask us at each ClientHello.
    func addContext(_ hostname: String, _ context: SecureContext) {
        if namedContexts.isEmpty {
            SSL_CTX_callback_ctrl(
                pointer, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                unsafeBitCast(chooseByServerName, to: (@convention(c) () -> Void).self))
            SSL_CTX_ctrl(
                pointer, SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG, 0, Unmanaged.passUnretained(self).toOpaque())
        }
        namedContexts.append((hostname.lowercased(), context))
    }

    /// The context for a name a client asked for, if one was added for it.
    func context(for serverName: String) -> SecureContext? {
        let name = serverName.lowercased()
        return namedContexts.first { pattern, _ in
            if pattern.hasPrefix("*.") {
                // A wildcard stands for exactly one label, as in certificates.
                guard let dot = name.firstIndex(of: ".") else { return false }
                return name[dot...] == pattern.dropFirst()
            }
            return pattern == name
        }?.1
    }

    /// Node 20's `tls.DEFAULT_CIPHERS` for TLS 1.2, in its order: with the same list, a server
    /// agrees on the cipher Node's would (ECDHE-RSA-AES128-GCM-SHA256 with OpenSSL's own client,
    /// where OpenSSL's default list gave AES-256), and refuses what Node refuses.
    static let nodesDefaultCiphers =
        "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:"
        + "DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:"
        + "DHE-RSA-AES256-SHA256:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA"

    /// A server's context: a server cannot do TLS without its key and certificate.
    static func forServer(_ options: TLSOptions) throws(NodeError) -> SecureContext {
        guard options.key != nil, options.cert != nil else {
            throw NodeError(
                code: .tlsMissingKey, message: "A TLS server needs a key and a certificate")
        }
        return try SecureContext(options, isServer: true)
    }

    private func setVersions(_ options: TLSOptions) throws(NodeError) {
        let versions = ["TLSv1.2": TLS1_2_VERSION, "TLSv1.3": TLS1_3_VERSION]
        guard let min = versions[options.minVersion], let max = versions[options.maxVersion] else {
            throw NodeError(
                code: .tlsInvalidProtocolVersion,
                message:
                    "\(options.minVersion)…\(options.maxVersion) is not a supported TLS protocol version range"
            )
        }
        // SSL_CTX_set_min/max_proto_version are macros over SSL_CTX_ctrl.
        SSL_CTX_ctrl(pointer, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(min), nil)
        SSL_CTX_ctrl(pointer, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(max), nil)
    }

    private func useIdentity(key: String?, cert: String?) throws(NodeError) {
        if let cert {
            let chain = try typed(X509Certificate.chain(inPEM: cert))
            guard let leaf = chain.first else {
                throw NodeError(code: .osslPEMNoStartLine, message: "No certificate in cert")
            }
            // A key too small for the security level is refused here (ERR_SSL_EE_KEY_TOO_SMALL).
            guard SSL_CTX_use_certificate(pointer, leaf.x509) == 1 else {
                throw NodeError.openSSL("bad certificate")
            }
            for intermediate in chain.dropFirst() {
                // SSL_CTX_add_extra_chain_cert takes ownership: give it a reference of its own.
                X509_up_ref(intermediate.x509)
                SSL_CTX_ctrl(
                    pointer, SSL_CTRL_EXTRA_CHAIN_CERT, 0, UnsafeMutableRawPointer(intermediate.x509))
            }
        }
        if let key {
            // SSL_CTX_use_PrivateKey takes a reference of its own.
            let privateKey = try typed(crypto.createPrivateKey(key))
            guard SSL_CTX_use_PrivateKey(pointer, privateKey.pkey) == 1 else {
                throw NodeError.openSSL("bad key")
            }
            if cert != nil && SSL_CTX_check_private_key(pointer) != 1 {
                throw NodeError.openSSL("key values mismatch")
            }
        }
    }

    private func trust(_ ca: [String]?) throws(NodeError) {
        guard let ca else {
            if let systemStore = SystemTrust.store {
                SSL_CTX_set1_cert_store(pointer, systemStore)
            } else {
                SSL_CTX_set_default_verify_paths(pointer)
                ERR_clear_error()
            }
            return
        }
        let store = SSL_CTX_get_cert_store(pointer)
        for pem in ca {
            // The store takes a reference of its own to each certificate.
            for certificate in try typed(X509Certificate.chain(inPEM: pem)) {
                X509_STORE_add_cert(store, certificate.x509)
            }
        }
    }

    /// The crypto module's readers throw NodeErrors already; this only gives them the type.
    private func typed<T>(_ read: @autoclosure () throws -> T) throws(NodeError) -> T {
        do {
            return try read()
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(code: .cryptoOperationFailed, message: "\(error)")
        }
    }
}

/// The system's trusted CAs, read once per process and shared by every context without a `ca` of
/// its own, as Node shares its root store between contexts. Read for each context, the bundle
/// (139 certificates on Debian) took 150 ms of the event loop: for every server, and for every
/// `tls.connect` and new HTTPS connection without `ca`, holding up every other connection.
enum SystemTrust {
    /// Nil if OpenSSL could not make a store; each context then reads the system's paths itself.
    /// Immutable once made, and OpenSSL locks a store that several contexts use.
    nonisolated(unsafe) static let store: OpaquePointer? = {
        guard let store = X509_STORE_new() else { return nil }
        X509_STORE_set_default_paths(store)
        ERR_clear_error()  // a missing system file or folder is no error for us
        return store
    }()
}

/// OpenSSL's servername callback: switches the connection to the context added for the name the
/// client sent, or keeps the default one.
private let chooseByServerName:
    @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?, UnsafeMutableRawPointer?)
        -> Int32 = { ssl, _, argument in
            guard let ssl, let argument, let name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) else {
                return SSL_TLSEXT_ERR_OK
            }
            let defaultContext = Unmanaged<SecureContext>.fromOpaque(argument).takeUnretainedValue()
            if let chosen = defaultContext.context(for: String(cString: name)) {
                SSL_set_SSL_CTX(ssl, chosen.pointer)
            }
            return SSL_TLSEXT_ERR_OK
        }

/// OpenSSL's ALPN callback on a server: the first of our protocols that the client offers; with
/// none in common the handshake fails with a `no_application_protocol` alert, as in Node.
private let chooseApplicationProtocol:
    @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
        UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
    ) -> Int32 = { _, out, outLength, offered, offeredLength, argument in
        guard let argument, let out, let outLength, let offered else { return SSL_TLSEXT_ERR_NOACK }
        let context = Unmanaged<SecureContext>.fromOpaque(argument).takeUnretainedValue()
        var chosen: UnsafeMutablePointer<UInt8>?
        // `chosen` points into our list (the first argument), whose memory outlives this call.
        let ours = context.alpnWire
        let result = SSL_select_next_proto(
            &chosen, outLength, ours.baseAddress, UInt32(ours.count), offered, offeredLength)
        guard result == OPENSSL_NPN_NEGOTIATED, let chosen else { return SSL_TLSEXT_ERR_ALERT_FATAL }
        out.pointee = UnsafePointer(chosen)
        return SSL_TLSEXT_ERR_OK
    }
