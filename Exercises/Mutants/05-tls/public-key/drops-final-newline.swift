// Mutant: drops the newline after -----END PUBLIC KEY-----, which openssl rsa -pubout writes.
import NodeNet

/// §5.1.1 (秘钥): the public key that goes with a private key, as
/// `openssl rsa -in server.key -pubout -out server.pem` writes it.
///
/// Take the PEM text of a private key (`server.key`, in either form OpenSSL writes: `BEGIN
/// PRIVATE KEY` or the book's `BEGIN RSA PRIVATE KEY`), and return its public key as PEM text in
/// the SubjectPublicKeyInfo form, `-----BEGIN PUBLIC KEY-----`, byte for byte what `-pubout`
/// writes.
///
/// The book gets two things wrong here. `-pubout` writes the public key, not a private one: the
/// private key never leaves the server, and the public key is what anybody may see (inside the
/// certificate). And the public key does not encrypt the data: in today's TLS (1.3, and 1.2 with
/// ECDHE) it verifies the server's signature on the handshake, which proves the server holds the
/// private key, and the data is encrypted with symmetric keys both ends derive in that handshake.
public func publicKeyPEM(fromPrivateKey pem: String) throws -> String {
    // createPublicKey takes a private key's PEM and keeps only its public half.
    String(try crypto.createPublicKey(pem).export(format: .pem, type: .spki).dropLast())
}
