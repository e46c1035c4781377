import NodeNet

/// §6: certificate pinning. A client that knows which certificates its server uses trusts those
/// and no others, even ones a CA it trusts would vouch for.
///
/// Return TLS options for `https.request` that trust the CAs in `ca` and, through
/// `checkServerIdentity`, also demand that the server's certificate is one of `pins` (each pin is
/// a certificate's `fingerprint256`: a current certificate and a spare, say). In the closure:
/// 1. first run Node's own check, `checkServerIdentity(host, certificate)`, and return its error
///    if it has one: a pinned certificate presented for the wrong name is still wrong;
/// 2. then return nil if the certificate's `fingerprint256` is among `pins`;
/// 3. else return `NodeError(code: "ERR_CERT_PIN_MISMATCH", message: …)` (a message of your
///    own, naming the host). The request then fails with that error, as in Node.
///
/// The chain is verified before `checkServerIdentity` is called: a certificate no trusted CA signed
/// never gets that far.
public func pinnedTLSOptions(ca: [String], pins: [String]) -> TLSOptions {
    // Your code here: var options = TLSOptions(ca: ca); options.checkServerIdentity = { host, certificate in … }
    TLSOptions(ca: ca)
}
