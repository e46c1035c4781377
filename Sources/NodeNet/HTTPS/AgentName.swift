extension Agent {
    /// The name under which an agent keeps a request's connections (Node's `agent.getName`): a
    /// kept connection only ever carries requests of the same name.
    ///
    /// A TLS connection carries the trust decision it was made with: the CAs it trusted, whether
    /// it checked at all, the name it checked, the certificate it showed. So every option that
    /// changes trust or identity is part of the name, as in Node's `https.Agent`. Without that, a
    /// request that verifies would ride a connection made by one with `rejectUnauthorized: false`
    /// and never see the certificate it should refuse. Node's name lists the options themselves;
    /// this one holds their SHA-256 (PEM text is long), and covers ALPN and
    /// `checkServerIdentity` too, which Node 20 leaves out.
    static func name(host: String, port: Int, tls: TLSOptions?) -> String {
        let plain = "\(host):\(port):"
        guard let tls else { return plain }
        return plain + TrustSettings(tls).nameSuffix
    }
}

/// What of a request's ``TLSOptions`` goes into its agent name: every field that changes trust or
/// identity, and nothing else.
struct TrustSettings: Equatable {
    let key: String?
    let cert: String?
    let ca: [String]?
    let minVersion: String
    let maxVersion: String
    let ciphers: String?
    let servername: String?
    let rejectUnauthorized: Bool
    let requestCert: Bool
    let identityCheck: UInt64
    let alpnProtocols: [String]

    init(_ tls: TLSOptions) {
        key = tls.key
        cert = tls.cert
        ca = tls.ca
        minVersion = tls.minVersion
        maxVersion = tls.maxVersion
        ciphers = tls.ciphers
        servername = tls.servername
        rejectUnauthorized = tls.rejectUnauthorized
        requestCert = tls.requestCert
        identityCheck = tls.identityCheck
        alpnProtocols = tls.alpnProtocols
    }

    /// `https:` and the first 32 hex digits of the fields' SHA-256.
    var nameSuffix: String {
        var fields: [String] = [key ?? "-", cert ?? "-"]
        fields += ca.map { ["ca"] + $0 } ?? ["system CAs"]
        fields += [minVersion, maxVersion, ciphers ?? "-", servername ?? "-"]
        fields += ["\(rejectUnauthorized)", "\(requestCert)", "\(identityCheck)"]
        fields += ["alpn"] + alpnProtocols
        // Each field after its length, so that no two lists of fields run together the same way.
        let encoded = fields.map { "\($0.utf8.count):\($0)" }.joined()
        // SHA-256 is always in OpenSSL, so the hash cannot be refused.
        let digest = try! crypto.createHash("sha256").update(encoded).digest(.hex)
        return "https:\(digest.prefix(32))"
    }
}

/// The names an agent gave lately, so that a request whose TLS options are those of an earlier
/// one is named without hashing its PEM text again: that hashing was a fifth of an HTTPS client's
/// CPU per request. Options that hold the same strings (one `TLSOptions` value reused, as a
/// program does) compare equal at the cost of a pointer check.
@NodeActor struct AgentNames {
    private var recent: [(host: String, port: Int, trust: TrustSettings, name: String)] = []
    /// A program uses a handful of option sets; past this many, the oldest is forgotten.
    static let kept = 16

    /// The agent name of a request to `host`:`port` with `tls`.
    mutating func name(host: String, port: Int, tls: TLSOptions?) -> String {
        guard let tls else { return Agent.name(host: host, port: port, tls: nil) }
        let trust = TrustSettings(tls)
        // A loop: see `ObjectIdentity.swift` for what a closure here would cost per entry.
        for entry in recent where entry.port == port && entry.host == host && entry.trust == trust {
            return entry.name
        }
        let name = Agent.name(host: host, port: port, tls: tls)
        if recent.count == Self.kept { recent.removeFirst() }
        recent.append((host, port, trust, name))
        return name
    }
}
