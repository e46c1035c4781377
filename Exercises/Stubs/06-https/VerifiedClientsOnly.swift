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
/// body: the socket's `authorizationError` (`DEPTH_ZERO_SELF_SIGNED_CERT`, …), or
/// `no client certificate` when it has none. (Node says `UNABLE_TO_GET_ISSUER_CERT` for a client
/// that sent no certificate; NodeNet leaves `authorizationError` nil then.)
///
/// Check `authorized`, not just whether there is a peer certificate: anybody can make a
/// certificate that says `CN=admin`.
@NodeActor public func greetVerifiedClient(_ req: IncomingMessage, _ res: ServerResponse) {
    // Your code here: look at req.socket, set res.statusCode, then res.end(…).
    res.end()
}
