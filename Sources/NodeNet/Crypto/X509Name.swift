import COpenSSL

/// A distinguished name as (field, value) pairs, in order, with OpenSSL's short field names:
/// `[("C", "CN"), ("O", "深入浅出"), ("CN", "localhost")]` is `openssl req -subj /C=CN/O=…/CN=localhost`.
public typealias DistinguishedName = [(String, String)]

/// Building and printing X509_NAMEs, shared by requests and certificates.
enum X509Name {
    /// A new X509_NAME holding `entries` as UTF-8 strings; the caller frees it with X509_NAME_free.
    static func make(_ entries: DistinguishedName) throws -> OpaquePointer {
        let name = try checkOpenSSL(X509_NAME_new(), "X509_NAME_new")
        for (field, value) in entries {
            // MBSTRING_UTF8: the value is UTF-8, so 深入浅出 is stored as itself. (`openssl req -subj`
            // without -utf8 reads bytes as Latin-1 instead, which is why its Chinese names garble.)
            let added = X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, value, -1, -1, 0)
            guard added == 1 else {
                X509_NAME_free(name)
                throw NodeError.openSSL("X509_NAME_add_entry_by_txt \(field)")
            }
        }
        return name
    }

    /// Node's multi-line form of a name, `C=CN\nO=深入浅出\nCN=localhost`: short field names, one
    /// per line, RFC 2253 escaping (`O=Node\, Inc.`), control characters escaped, UTF-8 kept.
    static func nodeText(_ name: OpaquePointer?) -> String {
        guard let name else { return "" }
        let flags =
            UInt(ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_UTF8_CONVERT)
            | UInt(XN_FLAG_SEP_MULTILINE) | UInt(XN_FLAG_FN_SN)
        return printed { X509_NAME_print_ex($0, name, 0, flags) >= 0 }
    }

    /// Every value of the field `nid` in `name`, as UTF-8 (the common names a host is checked against).
    static func values(_ nid: Int32, in name: OpaquePointer?) -> [String] {
        guard let name else { return [] }
        var values: [String] = []
        var position = X509_NAME_get_index_by_NID(name, nid, -1)
        while position >= 0 {
            let data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, position))
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, data)
            if length >= 0, let utf8 {
                values.append(
                    String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self))
                CRYPTO_free(utf8, #fileID, #line)
            }
            position = X509_NAME_get_index_by_NID(name, nid, position)
        }
        return values
    }
}
