import COpenSSL

/// The first argument and options of `crypto.generateKeyPairSync(type, options)`.
public enum KeyPairType: Sendable, Equatable {
    /// `('rsa', { modulusLength })`, exponent 65537. 2048 bits is the default here and the least
    /// that Debian's OpenSSL (security level 2) accepts in TLS; the book's 1024-bit keys can be
    /// generated but a level-2 peer refuses them (`EE_KEY_TOO_SMALL`).
    case rsa(modulusLength: Int = 2048)
    /// `('ec', { namedCurve })`: `prime256v1` (also called `P-256`), `secp384r1`, …
    case ec(namedCurve: String)
}

extension CryptoModule {
    /// `crypto.generateKeyPairSync(type, options)`: a new private key and its public key.
    public func generateKeyPairSync(_ type: KeyPairType) throws -> (
        privateKey: KeyObject, publicKey: KeyObject
    ) {
        let algorithm: Int32
        switch type {
        case .rsa: algorithm = EVP_PKEY_RSA
        case .ec: algorithm = EVP_PKEY_EC
        }
        let context = try checkOpenSSL(EVP_PKEY_CTX_new_id(algorithm, nil), "EVP_PKEY_CTX_new_id")
        defer { EVP_PKEY_CTX_free(context) }
        try checkOpenSSL(EVP_PKEY_keygen_init(context), "EVP_PKEY_keygen_init")
        switch type {
        case .rsa(let bits):
            try checkOpenSSL(
                EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(clamping: bits)), "modulusLength")
        case .ec(let curve):
            try checkOpenSSL(
                EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, try curveNID(curve)), "namedCurve")
            // Name the curve in the key rather than spelling out its parameters: TLS and
            // X509_verify_cert refuse explicit parameters (X509_V_ERR_EC_KEY_EXPLICIT_PARAMS).
            try checkOpenSSL(EVP_PKEY_CTX_set_ec_param_enc(context, OPENSSL_EC_NAMED_CURVE), "namedCurve")
        }
        var pkey: OpaquePointer?
        try checkOpenSSL(EVP_PKEY_keygen(context, &pkey), "EVP_PKEY_keygen")
        let privateKey = KeyObject(taking: try checkOpenSSL(pkey, "EVP_PKEY_keygen"), type: .private)
        return (privateKey, try privateKey.publicHalf())
    }

    /// OpenSSL's number for a curve named as Node accepts it: OpenSSL's short name or the NIST one.
    private func curveNID(_ name: String) throws -> Int32 {
        var nid = OBJ_sn2nid(name)
        if nid == NID_undef { nid = EC_curve_nist2nid(name) }
        guard nid != NID_undef else {
            throw NodeError(code: .cryptoInvalidCurve, message: "Invalid EC curve name")
        }
        return nid
    }
}
