// Mutant: compares the whole host header, port and all, with the SNI name.
import NodeNet

/// §6 (one address, many sites): the name a client gave in the TLS handshake and the name in its
/// request must agree.
///
/// An HTTPS server that hosts several sites learns which one a client wants twice: in the TLS
/// handshake, where SNI picks the certificate (`servername` on the server's `TLSSocket`), and in
/// every request's `host` header. They can differ: a client may send a request for `b.test` on a
/// connection it opened for `a.test` when the certificate covers both names (browsers do so over
/// HTTP/2), and any client can put the name it likes in `host`. Serving such a request as `b.test` would hand out one site over a
/// connection set up for another.
///
/// Compare the `host` header's name (without its port, in lower case) with the socket's
/// `servername` (in lower case):
/// - the same, or no SNI at all (clients send none for an IP address): answer 200 with the body
///   `welcome to <name>`, the name from `host`;
/// - different: answer 421 (Misdirected Request) with the body `this connection is for
///   <servername>`; a client retries such a request on a new connection;
/// - no `host` header (HTTP/1.0): answer 400.
@NodeActor public func serveNamedSite(_ req: IncomingMessage, _ res: ServerResponse) {
    guard let host = req.headers["host"] else {
        res.statusCode = 400
        return res.end()
    }
    let name = host.lowercased()
    let servername = (req.socket as? TLSSocket)?.servername?.lowercased()
    if let servername, servername != name {
        res.statusCode = 421
        return res.end("this connection is for \(servername)")
    }
    res.end("welcome to \(name)")
}
