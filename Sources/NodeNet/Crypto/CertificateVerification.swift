import COpenSSL

extension X509Certificate {
    /// The security level this system's OpenSSL gives a new TLS context: the library default
    /// (1 in OpenSSL 3.0 and 3.1) unless openssl.cnf sets one, as Debian does (2).
    public static let defaultSecurityLevel: Int = {
        guard let context = SSL_CTX_new(TLS_method()) else { return 1 }
        defer { SSL_CTX_free(context) }
        return Int(SSL_CTX_get_security_level(context))
    }()

    /// Verifies this certificate the way a TLS client verifies the one its peer sent: a chain
    /// through `intermediates` up to one of the trusted `ca` certificates (`X509_verify_cert`),
    /// then, when `host` is given, Node's `tls.checkServerIdentity(host, cert)`.
    ///
    /// `securityLevel` is the minimum key strength OpenSSL accepts in the chain (level 2: RSA
    /// 2048 bits, ECC 224) and defaults to `defaultSecurityLevel`, as in TLS on this system.
    /// `purpose` also requires the leaf's extendedKeyUsage to allow that use, as libssl does.
    ///
    /// - Returns: nil when the certificate is trusted, else Node's error for the last problem
    ///   OpenSSL met: `code` is the X509_V_ERR name (`CERT_HAS_EXPIRED`,
    ///   `SELF_SIGNED_CERT_IN_CHAIN`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `EE_KEY_TOO_SMALL` …)
    ///   or `ERR_TLS_CERT_ALTNAME_INVALID`, and `message` is OpenSSL's or Node's sentence.
    public func verifyChain(
        ca: [X509Certificate], intermediates: [X509Certificate] = [], host: String? = nil,
        securityLevel: Int? = nil, purpose: ExtendedKeyUsage? = nil
    ) -> NodeError? {
        do {
            let result = try chainResult(
                ca: ca, intermediates: intermediates, securityLevel: securityLevel, purpose: purpose)
            if result != X509_V_OK { return NodeError.certificateVerification(Int(result)) }
        } catch {
            return error as? NodeError ?? NodeError(code: .cryptoOperationFailed, message: "\(error)")
        }
        return host.flatMap { checkServerIdentity($0, self) }
    }

    /// X509_verify_cert's result: X509_V_OK or the last X509_V_ERR_… it met.
    private func chainResult(
        ca: [X509Certificate], intermediates: [X509Certificate], securityLevel: Int?,
        purpose: ExtendedKeyUsage?
    ) throws -> Int32 {
        let store = try checkOpenSSL(X509_STORE_new(), "X509_STORE_new")
        defer { X509_STORE_free(store) }
        for authority in ca {
            try checkOpenSSL(X509_STORE_add_cert(store, authority.x509), "X509_STORE_add_cert")
        }
        // The untrusted certificates a peer sends along. The stack only borrows them: the
        // `intermediates` argument keeps them alive until this returns.
        let chain = try checkOpenSSL(OPENSSL_sk_new_null(), "OPENSSL_sk_new_null")
        defer { OPENSSL_sk_free(chain) }
        for intermediate in intermediates
        where OPENSSL_sk_push(chain, UnsafeRawPointer(intermediate.x509)) <= 0 {
            throw NodeError.openSSL("OPENSSL_sk_push")
        }
        let context = try checkOpenSSL(X509_STORE_CTX_new(), "X509_STORE_CTX_new")
        defer { X509_STORE_CTX_free(context) }
        try checkOpenSSL(X509_STORE_CTX_init(context, store, x509, chain), "X509_STORE_CTX_init")
        if let purpose {
            // The defaults libssl itself applies: "ssl_server" when checking a server's certificate.
            let name = purpose == .serverAuth ? "ssl_server" : "ssl_client"
            try checkOpenSSL(X509_STORE_CTX_set_default(context, name), "X509_STORE_CTX_set_default")
        }
        // A bare store checks no key sizes (its level is -1); TLS sets the context's level, so do we.
        let level = Int32(clamping: securityLevel ?? Self.defaultSecurityLevel)
        X509_VERIFY_PARAM_set_auth_level(X509_STORE_CTX_get0_param(context), level)
        // Node's verify callback accepts every problem and reads the result after the handshake,
        // so OpenSSL walks the whole chain and the error left is the last one it met (a lone
        // certificate from an unknown CA ends as UNABLE_TO_VERIFY_LEAF_SIGNATURE, not
        // UNABLE_TO_GET_ISSUER_CERT_LOCALLY). The same callback gives the same codes here.
        X509_STORE_CTX_set_verify_cb(context, continueVerification)
        guard X509_verify_cert(context) >= 0 else { throw NodeError.openSSL("X509_verify_cert") }
        return X509_STORE_CTX_get_error(context)
    }
}

/// The verify callback of Node's TLS: carry on past every problem (the last one is reported).
private func continueVerification(_ preverified: Int32, _ context: OpaquePointer?) -> Int32 {
    1
}

extension NodeError {
    /// Node's error for an OpenSSL verification result (from X509_STORE_CTX_get_error or
    /// SSL_get_verify_result): code `CERT_HAS_EXPIRED`, message `certificate has expired`.
    static func certificateVerification(_ result: Int) -> NodeError {
        let code = Int32(clamping: result)
        return NodeError(
            code: x509VerifyErrorNames[code] ?? "UNSPECIFIED",
            message: String(cString: X509_verify_cert_error_string(result)))
    }
}

/// Node's `tls.checkServerIdentity(hostname, cert)`: nil when `certificate` names `hostname`,
/// else `ERR_TLS_CERT_ALTNAME_INVALID` with Node's message. An IP address must be one of the IP
/// SANs; a host name must match a DNS SAN (`*.example.com` covers one label), or the common name
/// when there are no DNS SANs.
public func checkServerIdentity(_ hostname: String, _ certificate: X509Certificate) -> NodeError? {
    let host = withoutTrailingDot(hostname)
    let altNames = certificate.altNames
    let reason: String
    if let address = ipBytes(host) {
        if altNames.contains(.ip(address)) { return nil }
        let listed = altNames.compactMap(\.canonicalIP).joined(separator: ", ")
        reason = "IP: \(host) is not in the cert's list: \(listed)"
    } else {
        let hostLabels = labels(host)
        let dnsNames = altNames.compactMap { name -> String? in
            if case .dns(let dns) = name { return dns }
            return nil
        }
        let commonNames = X509Name.values(NID_commonName, in: X509_get_subject_name(certificate.x509))
        if !dnsNames.isEmpty {
            if dnsNames.contains(where: { hostMatches(hostLabels, $0) }) { return nil }
            reason = "Host: \(host). is not in the cert's altnames: \(altNames.nodeText ?? "")"
        } else if !commonNames.isEmpty {
            // The CN counts only when there are no DNS SANs (RFC 6125), as in Node.
            if commonNames.contains(where: { hostMatches(hostLabels, $0) }) { return nil }
            reason = "Host: \(host). is not cert's CN: \(commonNames.joined(separator: ","))"
        } else {
            reason = "Cert does not contain a DNS name"
        }
    }
    return NodeError(
        code: .tlsCertAltnameInvalid,
        message: "Hostname/IP does not match certificate's altnames: " + reason)
}

private func withoutTrailingDot(_ name: String) -> String {
    name.hasSuffix(".") ? String(name.dropLast()) : name
}

private func labels(_ name: String) -> [String] {
    withoutTrailingDot(name).lowercased().split(separator: ".", omittingEmptySubsequences: false).map(
        String.init)
}

/// Node's matching of a host against one certificate name: same number of labels, all but the
/// first equal, and in the first at most one `*` (never in `xn--` labels, never in `*.tld`).
private func hostMatches(_ host: [String], _ pattern: String) -> Bool {
    let pattern = labels(pattern)
    guard host.count == pattern.count, !pattern.contains("") else { return false }
    // Names with blanks, controls or non-ASCII (IDNA U-labels) are never matched, as in Node.
    guard pattern.allSatisfy({ $0.unicodeScalars.allSatisfy { (0x21...0x7F).contains($0.value) } }) else {
        return false
    }
    guard host.dropFirst() == pattern.dropFirst() else { return false }
    let (hostFirst, patternFirst) = (host[0], pattern[0])
    let pieces = patternFirst.split(separator: "*", omittingEmptySubsequences: false)
    if pieces.count == 1 || patternFirst.contains("xn--") { return hostFirst == patternFirst }
    guard pieces.count == 2, pattern.count > 2 else { return false }
    let (prefix, suffix) = (pieces[0], pieces[1])
    return prefix.utf8.count + suffix.utf8.count <= hostFirst.utf8.count && hostFirst.hasPrefix(prefix)
        && hostFirst.hasSuffix(suffix)
}
