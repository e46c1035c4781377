import NodeNet

/// §5.1 (the client): what a TLS client learns when it connects, before it sends a byte.
///
/// Connect to `host:port` with `tls.connect`, trusting the CA certificates in `ca` and checking the
/// server as Node does by default. Then call `done` once, with one line:
/// - when the handshake succeeds (`secureConnect`): the protocol, the cipher, and the server's
///   certificate, as `TLSv1.3 TLS_AES_256_GCM_SHA384, certificate CN=localhost from CN=Some CA`
///   (`getProtocol()`, `cipherName`, and the subject and issuer of `getPeerCertificate()`); then
///   end the connection: a probe has nothing to say;
/// - when the connection fails (`error`): `refused: ` and the error's code, e.g.
///   `refused: DEPTH_ZERO_SELF_SIGNED_CERT`, `refused: ECONNREFUSED`.
///
/// Never switch the check off (`rejectUnauthorized: false`): a probe that accepts any certificate
/// reports a man in the middle as a healthy server.
@NodeActor public func probeTLS(
    port: Int, host: String, ca: [String], done: @escaping @NodeActor (String) -> Void
) {
    // Your code here: let socket = tls.connect(port, host, TLSOptions(ca: ca)), then
    // socket.on(.secureConnect) { … } and socket.on(.error) { … }
}
