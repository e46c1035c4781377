// Mutant: always makes a 2048-bit key, whatever size `bits` asks for.
import NodeNet

/// §5.1.1 (秘钥): the server's private key, made in Swift instead of by `openssl genrsa`.
///
/// The book runs `openssl genrsa -out server.key 1024`. Do what `openssl genrsa -out server.key
/// 2048` does: make a new RSA private key of `bits` bits and return it as PEM text, the contents
/// of `server.key`. Every call makes a new key.
///
/// Refuse fewer than 2048 bits by throwing `ServerKeyTooSmall`. The book's 1024-bit keys can still
/// be made, but this system's OpenSSL works at security level 2 (Debian's default), which wants
/// RSA keys of 2048 bits or more: NodeNet's `tls.createServer` refuses to load a smaller one
/// (`ERR_SSL_EE_KEY_TOO_SMALL`), and clients such as curl refuse a certificate for one ("EE
/// certificate key too weak").
public func generateServerKey(bits: Int = 2048) throws -> String {
    guard bits >= 2048 else { throw ServerKeyTooSmall(bits: bits) }
    // PKCS#8 (`BEGIN PRIVATE KEY`) is what `openssl genrsa` writes since OpenSSL 3.0; the book's
    // OpenSSL 1.x wrote PKCS#1 (`BEGIN RSA PRIVATE KEY`). Both hold the same key.
    let (privateKey, _) = try crypto.generateKeyPairSync(.rsa(modulusLength: 2048))
    return try privateKey.export(format: .pem, type: .pkcs8)
}

/// The error for a key too small for TLS at security level 2.
public struct ServerKeyTooSmall: Error, Equatable {
    /// The size that was asked for.
    public let bits: Int

    /// The error for a request of `bits` bits.
    public init(bits: Int) {
        self.bits = bits
    }
}
