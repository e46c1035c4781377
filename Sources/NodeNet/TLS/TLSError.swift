import COpenSSL

extension NodeError {
    /// The first error on OpenSSL's queue (the queue is then emptied), as Node reports SSL errors:
    /// code `ERR_SSL_` + the reason in capitals (`ERR_SSL_WRONG_VERSION_NUMBER`), message
    /// OpenSSL's own line (`error:0A00010B:SSL routines::wrong version number`).
    static func takeSSLError(or fallback: String) -> NodeError {
        let packed = ERR_get_error()
        ERR_clear_error()
        guard packed != 0 else { return NodeError(code: "ERR_SSL_PROTOCOL", message: fallback) }
        var line = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(packed, &line, line.count)
        let reason = ERR_reason_error_string(packed).map { String(cString: $0) } ?? "unknown"
        let code = "ERR_SSL_" + reason.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return NodeError(
            code: String(code),
            message: String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
