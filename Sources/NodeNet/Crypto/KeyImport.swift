import COpenSSL

extension CryptoModule {
    /// `crypto.createPrivateKey(pem)`: reads a PEM private key in any of the forms OpenSSL
    /// writes: PKCS#8 (`BEGIN PRIVATE KEY`, `openssl genrsa` in 3.x), traditional RSA
    /// (`BEGIN RSA PRIVATE KEY`, `openssl genrsa` in 1.x and the book), SEC1 EC
    /// (`BEGIN EC PRIVATE KEY`). An encrypted key needs its `passphrase`.
    public func createPrivateKey(_ pem: String, passphrase: String? = nil) throws -> KeyObject {
        try createPrivateKey(Buffer(pem), passphrase: passphrase)
    }

    /// `crypto.createPrivateKey(buffer)`: the PEM key in `pem`'s bytes (a file's contents).
    public func createPrivateKey(_ pem: Buffer, passphrase: String? = nil) throws -> KeyObject {
        let pkey = try withReadBIO(pem.bytes) { bio in
            // With a passphrase, OpenSSL's default callback takes it from the user-data argument.
            // Without one, the callback refuses rather than prompting on the terminal, and an
            // encrypted key fails as in Node: ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED.
            let key =
                if let passphrase {
                    passphrase.withCString {
                        PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: $0))
                    }
                } else {
                    PEM_read_bio_PrivateKey(bio, nil, refusePassphrase, nil)
                }
            return try checkOpenSSL(key, "PEM_read_bio_PrivateKey")
        }
        return KeyObject(taking: pkey, type: .private)
    }

    /// `crypto.createPublicKey(pem)`: a public key from PEM text holding a public key (SPKI
    /// `BEGIN PUBLIC KEY` or PKCS#1 `BEGIN RSA PUBLIC KEY`), a private key (its public half, what
    /// `openssl rsa -pubout` writes) or a certificate (the key it certifies).
    public func createPublicKey(_ pem: String) throws -> KeyObject {
        try createPublicKey(Buffer(pem))
    }

    /// `crypto.createPublicKey(buffer)`: as `createPublicKey(pem)`, from a file's bytes.
    public func createPublicKey(_ pem: Buffer) throws -> KeyObject {
        let text = pem.toString()
        if text.contains("PRIVATE KEY-----") { return try createPrivateKey(pem).publicHalf() }
        if text.contains("BEGIN CERTIFICATE") { return try X509Certificate(pem).publicKey }
        let pkey = try withReadBIO(pem.bytes) { bio in
            var decoded: OpaquePointer?
            // The decoder keeps the result's address and writes it in OSSL_DECODER_from_bio, so
            // that address must stay valid across both calls (a bare `&decoded` would not).
            try withUnsafeMutablePointer(to: &decoded) { result in
                // A decoder rather than PEM_read_bio_PUBKEY, which knows only SPKI, not PKCS#1.
                let selection = Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
                let decoder = try checkOpenSSL(
                    OSSL_DECODER_CTX_new_for_pkey(
                        result, staticCString("PEM"), nil, nil, selection, nil, nil),
                    "OSSL_DECODER_CTX_new_for_pkey")
                defer { OSSL_DECODER_CTX_free(decoder) }
                try checkOpenSSL(OSSL_DECODER_from_bio(decoder, bio), "OSSL_DECODER_from_bio")
            }
            return try checkOpenSSL(decoded, "OSSL_DECODER_from_bio")
        }
        return KeyObject(taking: pkey, type: .public)
    }

    /// `crypto.createPublicKey(privateKey)`: the public half of a private key (a public key is
    /// returned as it is).
    public func createPublicKey(_ key: KeyObject) throws -> KeyObject {
        key.type == .public ? key : try key.publicHalf()
    }
}
