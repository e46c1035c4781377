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
        var fields: [String] = [tls.key ?? "-", tls.cert ?? "-"]
        fields += tls.ca.map { ["ca"] + $0 } ?? ["system CAs"]
        fields += [tls.minVersion, tls.maxVersion, tls.ciphers ?? "-", tls.servername ?? "-"]
        fields += ["\(tls.rejectUnauthorized)", "\(tls.requestCert)", "\(tls.identityCheck)"]
        fields += ["alpn"] + tls.alpnProtocols
        // Each field after its length, so that no two lists of fields run together the same way.
        let encoded = fields.map { "\($0.utf8.count):\($0)" }.joined()
        // SHA-256 is always in OpenSSL, so the hash cannot be refused.
        let digest = try! crypto.createHash("sha256").update(encoded).digest(.hex)
        return "\(plain)https:\(digest.prefix(32))"
    }
}
