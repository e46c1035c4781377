// Mutant: warns when exactly warnDays are left, where the doc says at least warnDays is ok.
import NodeNet

/// §6: a monitor that warns before a site's certificate runs out, a common way for an HTTPS site
/// to go down.
///
/// GET `url` with `https.get`, trusting the CAs in `ca` and checking the server as Node does by
/// default, on a connection of its own (`agent: nil`). Then call `done` once, with one line:
/// - when the response comes: read the server's certificate from the response's socket
///   (`(res.socket as? TLSSocket)?.getPeerCertificate()`) and count the whole days from `now`
///   to its `notAfter` (both in seconds since 1970), rounded down: `ok: 89 days left` when that
///   is at least `warnDays`, else `renew: 9 days left`. Read the response to its end
///   (`res.resume()`): nobody else will;
/// - when the request fails: `error: ` and the error's code. A certificate that has already
///   expired fails Node's check: `error: CERT_HAS_EXPIRED`.
@NodeActor public func checkCertificateExpiry(
    _ url: String, ca: [String], warnDays: Int, now: Int, done: @escaping @NodeActor (String) -> Void
) {
    var options = RequestOptions(agent: nil)
    options.tls = TLSOptions(ca: ca)
    var reported = false
    @NodeActor func report(_ line: String) {
        guard !reported else { return }
        reported = true
        done(line)
    }
    let request = https.get(url, options) { res in
        res.resume()
        guard let notAfter = (res.socket as? TLSSocket)?.getPeerCertificate()?.notAfter else {
            return report("error: no certificate")
        }
        let days = (notAfter - now) / 86_400
        report("\(days > warnDays ? "ok" : "renew"): \(days) days left")
    }
    request.on(.error) { error in report("error: \(error.code)") }
}
