import NodeNet

/// §6 (HTTPS服务): an HTTPS server that knows its clients by their certificates.
///
/// This handler serves a server made with `https.createServer(TLSOptions(key:cert:ca:
/// requestCert: true, rejectUnauthorized: false), …)`: it asks every client for a certificate,
/// but lets in those without a good one, so the handler can tell them why they are refused.
///
/// The request came over a `TLSSocket`: `req.socket as? TLSSocket`. When its `authorized` is true,
/// the client's certificate was signed by a CA in `ca`: answer 200 with the body
/// `hello, <CN>`, the common name from the subject of `getPeerCertificate()` (its subject reads
/// `C=CN\nO=深入浅出\nCN=朴灵`, one field a line). Otherwise answer 401 with the reason as the
/// body: the socket's `authorizationError`. That is `DEPTH_ZERO_SELF_SIGNED_CERT` for a
/// self-signed certificate, `UNABLE_TO_VERIFY_LEAF_SIGNATURE` for one from a CA not in `ca`, and
/// `UNABLE_TO_GET_ISSUER_CERT` for a client that sent no certificate at all, as in Node.
///
/// 401 (Unauthorized), not 403 (Forbidden): 401 says the client has not proved who it is, and may
/// try again with a certificate the CA signed; 403 would say it is known and refused all the same.
///
/// Check `authorized`, not just whether there is a peer certificate: anybody can make a
/// certificate that says `CN=admin`.
@NodeActor public func greetVerifiedClient(_ req: IncomingMessage, _ res: ServerResponse) {
    // Your code here: look at req.socket, set res.statusCode, then res.end(…).
    res.end()
}
