import COpenSSL

/// v3 extensions written in OpenSSL's configuration syntax, the text `openssl req -addext` and
/// `openssl x509 -extfile` take: `critical,CA:TRUE`, `DNS:localhost,IP:127.0.0.1`, `keyid:always`.
/// Using OpenSSL's own parser keeps the extensions byte-for-byte what the command line would write.
enum X509Extensions {
    /// Builds one extension; `context` names the certificates that `hash` and `keyid` refer to.
    static func make(_ nid: Int32, _ value: String, _ context: inout X509V3_CTX) throws -> OpaquePointer {
        let name = String(cString: OBJ_nid2sn(nid))
        return try checkOpenSSL(X509V3_EXT_nconf_nid(nil, &context, nid, value), "\(name)=\(value)")
    }

    /// Adds `extensions` to `certificate`, in order (a subject key identifier must come before an
    /// authority key identifier that copies it).
    static func add(
        _ extensions: [(nid: Int32, value: String)], to certificate: OpaquePointer,
        _ context: inout X509V3_CTX
    ) throws {
        for (nid, value) in extensions {
            let built = try make(nid, value, &context)
            defer { X509_EXTENSION_free(built) }
            try checkOpenSSL(X509_add_ext(certificate, built, -1), "X509_add_ext")
        }
    }

    /// Runs `body` with a request's extension stack (which may be empty), then frees the stack.
    static func withRequestExtensions<Result>(
        _ request: OpaquePointer, _ body: (OpaquePointer?) throws -> Result
    ) rethrows -> Result {
        let stack = X509_REQ_get_extensions(request)
        defer { OPENSSL_sk_pop_free(stack, freeExtension) }
        return try body(stack)
    }
}

/// OPENSSL_sk_pop_free's element destructor for a stack of X509_EXTENSION.
private func freeExtension(_ element: UnsafeMutableRawPointer?) {
    X509_EXTENSION_free(OpaquePointer(element))
}
