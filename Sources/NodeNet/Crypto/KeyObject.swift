import COpenSSL

/// Node's `KeyObject` for an asymmetric key: a private key (which also holds its public half) or
/// a public key alone. It owns one reference to an OpenSSL EVP_PKEY.
///
/// A key never changes after it is made, and OpenSSL allows concurrent reads of one EVP_PKEY,
/// so a key can be shared between the loop and NIO's threads (hence `@unchecked Sendable`).
public final class KeyObject: @unchecked Sendable {
    /// `keyObject.type`: `.private` or `.public`.
    public let type: KeyObjectType
    /// The EVP_PKEY this object owns; it is freed with the object.
    let pkey: OpaquePointer

    /// Takes ownership of `pkey` (one reference, released in deinit).
    init(taking pkey: OpaquePointer, type: KeyObjectType) {
        self.pkey = pkey
        self.type = type
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// `keyObject.asymmetricKeyType`: `"rsa"`, `"ec"`, `"rsa-pss"`, `"ed25519"` …
    public var asymmetricKeyType: String {
        let id = EVP_PKEY_get_base_id(pkey)
        if let name = Self.typeNames[id] { return name }
        return EVP_PKEY_get0_type_name(pkey).map { String(cString: $0).lowercased() } ?? "unknown"
    }

    private static let typeNames: [Int32: String] = [
        EVP_PKEY_RSA: "rsa", EVP_PKEY_RSA_PSS: "rsa-pss", EVP_PKEY_DSA: "dsa", EVP_PKEY_DH: "dh",
        EVP_PKEY_EC: "ec", EVP_PKEY_ED25519: "ed25519", EVP_PKEY_ED448: "ed448",
        EVP_PKEY_X25519: "x25519", EVP_PKEY_X448: "x448",
    ]

    /// `keyObject.asymmetricKeyDetails`: the modulus length and public exponent of an RSA key,
    /// the curve of an EC key.
    public var asymmetricKeyDetails: AsymmetricKeyDetails {
        var details = AsymmetricKeyDetails()
        switch asymmetricKeyType {
        case "rsa", "rsa-pss":
            details.modulusLength = Int(EVP_PKEY_get_bits(pkey))
            var exponent: OpaquePointer?
            if EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &exponent) == 1, let exponent {
                // A key may carry an exponent wider than a word (found by the fuzzer: it trapped
                // here); Node gives it as a BigInt, which an Int cannot hold, so it is left out.
                if BN_num_bits(exponent) < Int.bitWidth {
                    details.publicExponent = Int(BN_get_word(exponent))
                }
                BN_free(exponent)
            }
        case "ec":
            var curve = [CChar](repeating: 0, count: 80)
            if EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, &curve, curve.count, nil) == 1
            {
                details.namedCurve = String(decoding: curve.prefix { $0 != 0 }.map(UInt8.init), as: UTF8.self)
            }
        default: break
        }
        ERR_clear_error()
        return details
    }

    /// `keyObject.export({ format: 'pem', type })`: the key as PEM text. A private key exports as
    /// `.pkcs8` (`BEGIN PRIVATE KEY`), `.pkcs1` (RSA only, `BEGIN RSA PRIVATE KEY`) or `.sec1`
    /// (EC only, `BEGIN EC PRIVATE KEY`); a public key as `.spki` (`BEGIN PUBLIC KEY`) or
    /// `.pkcs1` (RSA only, `BEGIN RSA PUBLIC KEY`). Other pairings throw Node's errors.
    public func export(format: KeyFormat = .pem, type encoding: KeyEncoding) throws -> String {
        try checkEncoding(encoding)
        let structure: StaticString =
            switch encoding {
            case .pkcs8: "PrivateKeyInfo"
            case .spki: "SubjectPublicKeyInfo"
            // PKCS#1 and SEC1 are each algorithm's own ("type-specific") structure.
            case .pkcs1, .sec1: "type-specific"
            }
        let parameters = Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS)
        let selection =
            type == .private
            ? parameters | Int32(OSSL_KEYMGMT_SELECT_KEYPAIR)
            : parameters | Int32(OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
        let encoder = try checkOpenSSL(
            OSSL_ENCODER_CTX_new_for_pkey(
                pkey, selection, staticCString("PEM"), staticCString(structure), nil),
            "OSSL_ENCODER_CTX_new_for_pkey")
        defer { OSSL_ENCODER_CTX_free(encoder) }
        return try textWritten("export \(encoding.rawValue)") { OSSL_ENCODER_to_bio(encoder, $0) == 1 }
    }

    /// Node's checks that an encoding suits this key, with Node's codes and messages.
    private func checkEncoding(_ encoding: KeyEncoding) throws {
        let allowed: [KeyEncoding] = type == .private ? [.pkcs1, .pkcs8, .sec1] : [.pkcs1, .spki]
        guard allowed.contains(encoding) else {
            throw NodeError(
                code: .invalidArgValue,
                message: "The property 'options.type' is invalid. Received '\(encoding.rawValue)'")
        }
        let keyType = asymmetricKeyType
        if encoding == .pkcs1, keyType != "rsa" {
            throw NodeError.incompatibleKeyOptions("pkcs1 can only be used for RSA keys.")
        }
        if encoding == .sec1, keyType != "ec" {
            throw NodeError.incompatibleKeyOptions("sec1 can only be used for EC keys.")
        }
    }

    /// The public half as its own public KeyObject (what `openssl pkey -pubout` writes).
    func publicHalf() throws -> KeyObject {
        try Self.publicKey(spki: try derEncoded("i2d_PUBKEY") { i2d_PUBKEY(pkey, $0) })
    }

    /// A public key from SubjectPublicKeyInfo DER. Keys always come out of certificates and
    /// requests this way, because the EVP_PKEY inside one made in memory is the signer's whole
    /// key pair: through DER, only the public key can come along.
    static func publicKey(spki: [UInt8]) throws -> KeyObject {
        let pkey = try spki.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return try checkOpenSSL(d2i_PUBKEY(nil, &cursor, buffer.count), "d2i_PUBKEY")
        }
        return KeyObject(taking: pkey, type: .public)
    }
}

/// `keyObject.type`.
public enum KeyObjectType: String, Sendable {
    /// A private key, which also holds its public half.
    case `private`
    /// A public key alone.
    case `public`
}

/// `keyObject.asymmetricKeyDetails`: the fields Node fills for the key's algorithm.
public struct AsymmetricKeyDetails: Sendable, Equatable {
    /// RSA: the modulus size in bits (2048).
    public var modulusLength: Int?
    /// RSA: the public exponent (65537); nil when it does not fit in an `Int` (Node: a BigInt).
    public var publicExponent: Int?
    /// EC: OpenSSL's curve name (`prime256v1` for P-256), as Node reports it.
    public var namedCurve: String?

    /// Details with the given fields.
    public init(modulusLength: Int? = nil, publicExponent: Int? = nil, namedCurve: String? = nil) {
        self.modulusLength = modulusLength
        self.publicExponent = publicExponent
        self.namedCurve = namedCurve
    }
}

/// `format` of `keyObject.export`: text only here (DER is not offered).
public enum KeyFormat: String, Sendable {
    /// Base64 between `-----BEGIN …-----` lines.
    case pem
}

/// `type` of `keyObject.export`: the structure the key is written in.
public enum KeyEncoding: String, Sendable {
    /// RSA's own structure (RFC 8017): `RSA PRIVATE KEY` / `RSA PUBLIC KEY`, what OpenSSL 1.x's
    /// `openssl genrsa` wrote.
    case pkcs1
    /// The algorithm-independent private key structure (RFC 5208): `PRIVATE KEY`.
    case pkcs8
    /// EC's own private key structure (RFC 5915): `EC PRIVATE KEY`.
    case sec1
    /// The algorithm-independent public key structure (RFC 5280): `PUBLIC KEY`.
    case spki
}

extension NodeError {
    /// `ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS`: an export encoding that the key's type cannot use.
    static func incompatibleKeyOptions(_ detail: String) -> NodeError {
        NodeError(code: .cryptoIncompatibleKeyOptions, message: "The selected key encoding " + detail)
    }
}
