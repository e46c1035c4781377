import COpenSSL

/// Node's `crypto` module. Hashes go through the system OpenSSL, as Node's do.
public struct CryptoModule: Sendable {
    /// `crypto.createHash(algorithm)`: any digest OpenSSL knows (`sha1`, `md5`, `sha256`, …).
    /// Throws `Digest method not supported` for an unknown name, as Node does.
    public func createHash(_ algorithm: String) throws -> Hash {
        try Hash(algorithm)
    }

    /// `crypto.randomBytes(size)`, from OpenSSL's CSPRNG.
    public func randomBytes(_ size: Int) -> Buffer {
        var bytes = [UInt8](repeating: 0, count: size)
        precondition(RAND_bytes(&bytes, Int32(size)) == 1, "OpenSSL's random generator failed")
        return Buffer(bytes)
    }
}

/// `const crypto = require('crypto')`.
public let crypto = CryptoModule()

/// A running digest: feed it with `update`, read it once with `digest`.
public final class Hash {
    private let context: OpaquePointer
    private var finished = false

    init(_ algorithm: String) throws {
        guard let digest = EVP_get_digestbyname(algorithm), let context = EVP_MD_CTX_new() else {
            throw NodeError(code: .osslEVPUnsupported, message: "Digest method not supported")
        }
        self.context = context
        EVP_DigestInit_ex(context, digest, nil)
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Adds bytes to the digest.
    @discardableResult
    public func update(_ data: Buffer) -> Hash {
        precondition(!finished, "Digest already called")
        data.storage.withUnsafeReadableBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        return self
    }

    /// Adds the UTF-8 bytes of `text`.
    @discardableResult
    public func update(_ text: String) -> Hash {
        update(Buffer(text))
    }

    /// The digest's bytes. A hash can be digested once, as in Node.
    public func digest() -> Buffer {
        precondition(!finished, "Digest already called")
        finished = true
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &out, &length)
        return Buffer(out.prefix(Int(length)))
    }

    /// The digest as text: `digest(.hex)`, `digest(.base64)`.
    public func digest(_ encoding: Encoding) -> String {
        digest().toString(encoding)
    }
}
