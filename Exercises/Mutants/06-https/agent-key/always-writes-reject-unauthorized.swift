// Mutant: writes rejectUnauthorized as true or false every time, where Node leaves the default out.
import NodeNet

/// §6 (keep-alive over TLS): which requests may share a connection an agent kept alive.
///
/// An agent hands a free kept-alive connection to the next request with the same *name*. For HTTPS
/// the name must hold every option that decided whether the connection was trusted: a connection
/// opened with `rejectUnauthorized: false`, or trusting another CA, must never carry a request
/// that wants the server verified.
///
/// Return the name Node 20's `https.Agent#getName` gives these options: these fields joined by `:`
/// (23 fields, 22 colons), each empty when it is not set:
/// `host`, `port`, localAddress (always empty here), then the TLS options in Node's order: `ca`
/// (the PEMs joined by `,`), `cert`, clientCertEngine, `ciphers`, `key`, pfx,
/// `rejectUnauthorized`, `servername`, `minVersion`, `maxVersion`, and ten more that NodeNet does
/// not have (secureProtocol, crl, honorCipherOrder, ecdhCurve, dhparam, secureOptions,
/// sessionIdContext, sigalgs, privateKeyIdentifier, privateKeyEngine).
///
/// Node writes a field only when the request set it; NodeNet's `TLSOptions` always holds a value,
/// so write `rejectUnauthorized` only when it is `false`, `servername` only when it is set and
/// differs from the host, and `minVersion`/`maxVersion` only when they are not the defaults
/// (`TLSv1.2`, `TLSv1.3`). Options with no `tls` count as `TLSOptions()`. With Node's defaults the
/// name is `localhost:443:::::::::::::::::::::`.
@NodeActor public func httpsAgentName(_ options: RequestOptions) -> String {
    let secure = options.tls ?? TLSOptions()
    let servername = secure.servername.flatMap { $0 == options.host ? nil : $0 }
    let fields: [String?] = [
        options.host, "\(options.port)", nil,
        secure.ca?.joined(separator: ","), secure.cert, nil, secure.ciphers, secure.key, nil,
        "\(secure.rejectUnauthorized)", servername,
        secure.minVersion == "TLSv1.2" ? nil : secure.minVersion,
        secure.maxVersion == "TLSv1.3" ? nil : secure.maxVersion,
    ]
    // The ten options Node also keys on, which NodeNet does not have.
    let missing = [String?](repeating: nil, count: 10)
    return (fields + missing).map { $0 ?? "" }.joined(separator: ":")
}
