/// Limits of one WebSocket connection, with the `ws` library's defaults (Node 20 has no
/// WebSocket server of its own; `ws` is what Node programs use).
public struct WebSocketOptions: Sendable {
    /// The largest message (and frame) accepted; a bigger one closes the connection with 1009.
    /// `ws`: 100 MiB.
    public var maxPayload = 100 * 1024 * 1024
    /// The most fragments one message may come in; one more closes the connection with 1009.
    /// `ws` has no such limit: it skips empty fragments and counts only bytes, so a peer can keep
    /// a message open for ever with empty ones. Browsers send a message in one frame; 100,000
    /// fragments still carry `maxPayload` in pieces of 1 KiB or more.
    public var maxFragments = 100_000
    /// How long to wait, after our close frame, for the peer to answer and the TCP connection to
    /// end, before cutting it (ms). `ws`: 30 s.
    public var closeTimeout = 30_000

    /// Client, `wss://`: the TLS options (the CAs to trust, a client certificate); nil trusts
    /// the system's CAs.
    public var tls: TLSOptions? {
        get { tlsBox?.options }
        set { tlsBox = newValue.map(TLSBox.init) }
    }
    /// Kept by reference: every WebSocket holds its options, and `TLSOptions` inline made a
    /// server's connections, which never use it, 0.15 KiB larger each.
    private var tlsBox: TLSBox?

    /// Options changed by name: `WebSocketOptions(maxPayload: 1024)`.
    public init(
        maxPayload: Int = 100 * 1024 * 1024, maxFragments: Int = 100_000, closeTimeout: Int = 30_000,
        tls: TLSOptions? = nil
    ) {
        self.maxPayload = maxPayload
        self.maxFragments = maxFragments
        self.closeTimeout = closeTimeout
        self.tls = tls
    }
}

/// An immutable `TLSOptions` held by reference (see ``WebSocketOptions/tls``).
private final class TLSBox: Sendable {
    let options: TLSOptions

    init(_ options: TLSOptions) {
        self.options = options
    }
}
