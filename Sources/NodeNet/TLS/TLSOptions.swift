/// The options of `tls.createServer` and `tls.connect` (and `https`), with Node 20's defaults.
/// Keys and certificates are PEM text, as Node takes them (`fs.readFileSync('server.key')`).
public struct TLSOptions: Sendable {
    /// Our private key (servers always; clients when the server asks for a certificate).
    public var key: String?
    /// Our certificate, optionally followed by the intermediates of its chain.
    public var cert: String?
    /// The CA certificates to trust; nil trusts the system's CAs (Node: its bundled list).
    public var ca: [String]?
    /// The oldest protocol to accept: `TLSv1.2` (Node's default) or `TLSv1.3`.
    public var minVersion = "TLSv1.2"
    /// The newest protocol to offer: `TLSv1.3` or `TLSv1.2`.
    public var maxVersion = "TLSv1.3"
    /// OpenSSL's cipher list for TLS 1.2, e.g. `DEFAULT@SECLEVEL=1` to lower the security level.
    public var ciphers: String?
    /// Server: ask the client for a certificate (Node: false).
    public var requestCert = false
    /// Refuse a peer whose certificate does not verify (Node: true). A server applies it only
    /// with `requestCert`.
    public var rejectUnauthorized = true
    /// Client: the name sent as SNI and checked against the server's certificate; by default
    /// the host connected to (`https` does this; Node's plain `tls.connect` checks the host but
    /// sends SNI only when given `servername`).
    public var servername: String?
    /// Server: how long a client may take to finish its handshake, in ms (Node: 120000).
    public var handshakeTimeout = 120_000
    /// Client: judges the server's certificate for the host once its chain has verified (Node's
    /// `checkServerIdentity`); returns nil to accept. The default is ``checkServerIdentity(_:_:)``:
    /// the host must match a subjectAltName.
    public var checkServerIdentity: @Sendable (String, X509Certificate) -> NodeError? = { host, certificate in
        NodeNet.checkServerIdentity(host, certificate)
    }
    {
        // Closures cannot be compared: each one set gets a number of its own, so that an agent
        // never lends a connection checked by one function to a request that asked for another.
        didSet { identityCheck = .random(in: 1...UInt64.max) }
    }
    /// Which `checkServerIdentity` these options hold: 0 for the default, else a random number
    /// drawn when it was set (copies of these options keep it).
    private(set) var identityCheck: UInt64 = 0
    /// Node's `ALPNProtocols`: the application protocols to offer (client) or accept (server), in order of
    /// preference, e.g. `["http/1.1"]`. A server picks its first that the client offers.
    public var alpnProtocols: [String] = []

    /// Options changed by name: `TLSOptions(key: pem, cert: pem)`.
    public init(
        key: String? = nil, cert: String? = nil, ca: [String]? = nil, minVersion: String = "TLSv1.2",
        maxVersion: String = "TLSv1.3", ciphers: String? = nil, requestCert: Bool = false,
        rejectUnauthorized: Bool = true, servername: String? = nil, handshakeTimeout: Int = 120_000
    ) {
        self.key = key
        self.cert = cert
        self.ca = ca
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.ciphers = ciphers
        self.requestCert = requestCert
        self.rejectUnauthorized = rejectUnauthorized
        self.servername = servername
        self.handshakeTimeout = handshakeTimeout
    }
}
