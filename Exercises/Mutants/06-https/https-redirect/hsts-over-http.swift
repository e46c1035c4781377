// Mutant: sends Strict-Transport-Security over plain HTTP too.
import NodeNet

/// §6: one handler for a site's HTTP port and its HTTPS port, so that every visitor ends up on
/// HTTPS and its browser remembers to stay there.
///
/// The same handler serves both servers; `req.socket is TLSSocket` tells which one a request came
/// to.
/// - Over HTTPS: answer 200 with the body `hello over HTTPS` and the header
///   `Strict-Transport-Security: max-age=31536000` (HSTS: for a year, this browser goes straight
///   to HTTPS for this host, even when it is given an `http://` link).
/// - Over plain HTTP: send no HSTS (a browser ignores it there, as anybody on the path could have
///   added it). Redirect to the same host name and path on `httpsPort`: `Location` is
///   `https://` + the name from the `host` header without its port (an IPv6 address keeps its
///   brackets, `[::1]`) + `:<httpsPort>` (left out when it is 443) + `req.url`. The status is
///   301 for GET and HEAD and 308 for every other method: after a 301 a client may resend a POST
///   as a GET, without its body; after 308 it must not. Without a `host` header (HTTP/1.0),
///   answer 400: there is no name to redirect to.
@NodeActor public func redirectToHTTPS(_ req: IncomingMessage, _ res: ServerResponse, httpsPort: Int) {
    res.setHeader("Strict-Transport-Security", "max-age=31536000")
    if req.socket is TLSSocket {
        res.end("hello over HTTPS")
        return
    }
    guard let host = req.headers["host"] else {
        res.statusCode = 400
        return res.end()
    }
    // The name ends at the port's colon; an IPv6 address has colons of its own, inside brackets.
    let name =
        host.hasPrefix("[") ? String(host.prefix { $0 != "]" }) + "]" : String(host.prefix { $0 != ":" })
    let port = httpsPort == 443 ? "" : ":\(httpsPort)"
    res.statusCode = req.method == "GET" || req.method == "HEAD" ? 301 : 308
    res.setHeader("Location", "https://\(name)\(port)\(req.url)")
    res.end()
}
