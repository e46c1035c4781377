import COpenSSL

extension NodeError {
    /// The error OpenSSL queued for the call that just failed, in Node's shape: the message is
    /// OpenSSL's own line (`error:0480006C:PEM routines::no start line`) and the code is built from
    /// the library and the reason the way Node builds it (`ERR_OSSL_PEM_NO_START_LINE`).
    ///
    /// `operation` names the call, for the rare failure that queues nothing: that one becomes
    /// `ERR_CRYPTO_OPERATION_FAILED`, so no failure goes without a reason.
    static func openSSL(_ operation: String) -> NodeError {
        // The oldest entry is the root cause (later ones are callers adding context); Node reports
        // it too. The rest is dropped so that the next call on this thread starts with a clean queue.
        let first = ERR_get_error()
        ERR_clear_error()
        guard first != 0 else {
            return NodeError(code: .cryptoOperationFailed, message: "\(operation) failed")
        }
        return NodeError(code: openSSLCode(first), message: openSSLMessage(first))
    }

    /// OpenSSL's one-line text for a packed error: `error:<hex>:<library>:<function>:<reason>`.
    private static func openSSLMessage(_ error: UInt) -> String {
        var line = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(error, &line, line.count)
        return String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Node's code for an OpenSSL error: `ERR_OSSL_` + the library (for the libraries Node names)
    /// + the reason in upper case with underscores; SSL's own errors drop the `OSSL_`
    /// (`ERR_SSL_WRONG_VERSION_NUMBER`), as in Node.
    private static func openSSLCode(_ error: UInt) -> Code {
        guard let reasonText = ERR_reason_error_string(error) else { return .osslUnknown }
        let reason = String(cString: reasonText).uppercased().replacing(" ", with: "_")
        let library = ERR_GET_LIB(error)
        if library == ERR_LIB_SSL { return Code(rawValue: "ERR_SSL_\(reason)") }
        return .openSSL((nodeLibraryNames[library].map { $0 + "_" } ?? "") + reason)
    }

    /// The OpenSSL libraries whose name Node puts in its codes; others (DECODER, PROV …) add nothing,
    /// which is why a key that does not decode is plain `ERR_OSSL_UNSUPPORTED`.
    private static let nodeLibraryNames: [Int32: String] = [
        ERR_LIB_SYS: "SYS", ERR_LIB_BN: "BN", ERR_LIB_RSA: "RSA", ERR_LIB_DH: "DH", ERR_LIB_EVP: "EVP",
        ERR_LIB_BUF: "BUF", ERR_LIB_OBJ: "OBJ", ERR_LIB_PEM: "PEM", ERR_LIB_DSA: "DSA", ERR_LIB_X509: "X509",
        ERR_LIB_ASN1: "ASN1", ERR_LIB_CONF: "CONF", ERR_LIB_CRYPTO: "CRYPTO", ERR_LIB_EC: "EC",
        ERR_LIB_BIO: "BIO", ERR_LIB_PKCS7: "PKCS7", ERR_LIB_X509V3: "X509V3", ERR_LIB_PKCS12: "PKCS12",
        ERR_LIB_RAND: "RAND", ERR_LIB_DSO: "DSO", ERR_LIB_ENGINE: "ENGINE", ERR_LIB_OCSP: "OCSP",
        ERR_LIB_UI: "UI", ERR_LIB_COMP: "COMP", ERR_LIB_ECDSA: "ECDSA", ERR_LIB_ECDH: "ECDH",
        ERR_LIB_OSSL_STORE: "OSSL_STORE", ERR_LIB_FIPS: "FIPS", ERR_LIB_CMS: "CMS", ERR_LIB_TS: "TS",
        ERR_LIB_HMAC: "HMAC", ERR_LIB_CT: "CT", ERR_LIB_ASYNC: "ASYNC", ERR_LIB_KDF: "KDF",
        ERR_LIB_SM2: "SM2",
        ERR_LIB_USER: "USER",
    ]
}

/// Throws OpenSSL's queued error unless `result` is OpenSSL's success value, 1.
@discardableResult
func checkOpenSSL(_ result: Int32, _ operation: String) throws -> Int32 {
    guard result == 1 else { throw NodeError.openSSL(operation) }
    return result
}

/// Throws OpenSSL's queued error when a call that returns an object returned none.
func checkOpenSSL<T>(_ result: T?, _ operation: String) throws -> T {
    guard let result else { throw NodeError.openSSL(operation) }
    return result
}
