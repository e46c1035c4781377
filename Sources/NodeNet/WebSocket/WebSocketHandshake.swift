/// The opening handshake of RFC 6455 §4: an HTTP/1.1 `GET` with `Upgrade: websocket`, answered
/// `101 Switching Protocols` with a `Sec-WebSocket-Accept` derived from the client's key.
public enum WebSocketHandshake {
    /// The GUID every server appends to the client's key (RFC 6455 §1.3). The book prints
    /// `258EAFA5-E914-47DA-C5AB0DCB5B11`, which drops a group: no client accepts what it gives.
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`: base64(SHA-1(key + GUID)).
    public static func accept(for key: String) -> String {
        // SHA-1 always exists in OpenSSL, so the hash cannot be refused.
        try! crypto.createHash("sha1").update(key + guid).digest(.base64)
    }

    /// A fresh client key: 16 random bytes, base64 (24 characters ending in `==`).
    public static func newKey() -> String {
        crypto.randomBytes(16).toString(.base64)
    }

    /// Whether `key` is what RFC 6455 asks for: base64 of exactly 16 bytes. The book's sample
    /// `dGhlIHNhbXBsZSBub25jZQ` lacks its `==` and is refused, as common servers refuse it.
    public static func isValidKey(_ key: String) -> Bool {
        let base64 = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        // 22 base64 digits carry 132 bits: 16 bytes, padded with "==" to 24 characters.
        return key.count == 24 && key.hasSuffix("==") && key.dropLast(2).allSatisfy(base64.contains)
    }

    /// Why a server refuses an upgrade request: the status, and a message for the body.
    public struct Refusal: Error, Sendable, Equatable {
        /// 400, 405 or 426 for a request that is no valid handshake; 401 by default, or what the
        /// program chose, for one its `verifyClient` refused.
        public let status: Int
        /// What was wrong, in words (the response body).
        public let message: String
        /// Extra response headers (`Sec-WebSocket-Version: 13` with 426).
        public let headers: [String: String]

        /// A refusal with `status`; the body is `message`, or the status's reason phrase.
        public init(status: Int, message: String? = nil, headers: [String: String] = [:]) {
            self.status = status
            self.message = message ?? http.STATUS_CODES[status] ?? "Error"
            self.headers = status == 426 ? headers.merging(["Sec-WebSocket-Version": "13"]) { $1 } : headers
        }

        /// The whole HTTP response, closing the connection.
        var response: String {
            let reason = http.STATUS_CODES[status] ?? "Error"
            let extra = headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\r\n" }.joined()
            return "HTTP/1.1 \(status) \(reason)\r\nConnection: close\r\n\(extra)Content-Type: text/plain\r\n"
                + "Content-Length: \(message.utf8.count)\r\n\r\n\(message)"
        }
    }

    /// Checks an upgrade request as a server must (RFC 6455 §4.2.1), in the order the `ws`
    /// library checks it; nil when it is a valid WebSocket handshake. Header names and the
    /// `Upgrade`/`Connection` tokens are case-insensitive, as in all of HTTP.
    @NodeActor public static func check(_ req: IncomingMessage) -> Refusal? {
        if req.method != "GET" {
            return Refusal(status: 405, message: "Invalid HTTP method")
        }
        if req.httpVersionMajor < 1 || (req.httpVersionMajor == 1 && req.httpVersionMinor < 1) {
            return Refusal(status: 400, message: "Invalid HTTP version")
        }
        // The whole value, as `ws` compares it: `websocket, h2c` (or two Upgrade lines, which
        // Node joins) asks for more than one protocol at once.
        guard req.headers["upgrade"]?.caseInsensitiveEquals("websocket") == true else {
            return Refusal(status: 400, message: "Invalid Upgrade header")
        }
        guard req.headers["connection"]?.hasToken("upgrade") == true else {
            return Refusal(status: 400, message: "Invalid Connection header")
        }
        guard let key = req.headers["sec-websocket-key"], isValidKey(key) else {
            return Refusal(status: 400, message: "Missing or invalid Sec-WebSocket-Key header")
        }
        guard req.headers["sec-websocket-version"] == "13" else {
            return Refusal(status: 426, message: "Unsupported WebSocket version (this server speaks 13)")
        }
        guard offeredProtocols(req.headers["sec-websocket-protocol"]) != nil else {
            return Refusal(status: 400, message: "Invalid Sec-WebSocket-Protocol header")
        }
        return nil
    }

    /// The subprotocols a client offers (`chat, superchat` → `["chat", "superchat"]`); nil if the
    /// header is malformed: a name that is not an HTTP token (empty, or with a space, `;`, a
    /// quote or a byte past ASCII), or one named twice, as `ws`'s `subprotocol.parse` refuses.
    static func offeredProtocols(_ header: String?) -> [String]? {
        guard let header else { return [] }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0.trimmingWhitespace())
        }
        guard names.allSatisfy(HeaderValidation.isToken), Set(names).count == names.count else { return nil }
        return names
    }

    /// The `101 Switching Protocols` answer to a valid request.
    static func response(key: String, protocol chosen: String?) -> String {
        var head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        head += "Sec-WebSocket-Accept: \(accept(for: key))\r\n"
        if let chosen { head += "Sec-WebSocket-Protocol: \(chosen)\r\n" }
        return head + "\r\n"
    }
}
