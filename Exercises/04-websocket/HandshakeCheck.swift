/// §4.1 (WebSocket握手): whether a request may become a WebSocket, and what to answer.
///
/// A WebSocket starts as an HTTP request such as the book's:
///
///     GET /chat HTTP/1.1
///     Host: server.example.com
///     Upgrade: websocket
///     Connection: Upgrade
///     Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
///     Sec-WebSocket-Version: 13
///
/// Header names match whatever their case (the book writes `sec-WebSocket-key`); values come
/// without spaces around them, as Node's parser gives them. A missing header counts as a wrong
/// one. Check in this order and answer at the first problem (RFC 6455 §4.2):
/// 1. The method must be `GET`: else 405, with the header `Allow: GET`.
/// 2. The HTTP version must be `1.1` or later: else 400.
/// 3. `Upgrade` must hold the token `websocket`, in any case. The value is a list of tokens
///    separated by commas, such as `h2c, WebSocket`. Else 400.
/// 4. `Connection` must hold the token `upgrade`, in any case and anywhere in its list, as in
///    `keep-alive, Upgrade`. Else 400.
/// 5. `Sec-WebSocket-Key` must be the base64 of exactly 16 bytes: 22 characters from `A`–`Z`,
///    `a`–`z`, `0`–`9`, `+` and `/`, then `==`. Else 400.
/// 6. `Sec-WebSocket-Version` must be `13`: else 426 (Upgrade Required), with the header
///    `Sec-WebSocket-Version: 13` to tell the client which version this server speaks.
///
/// When all is well: 101 (Switching Protocols), with the headers `Upgrade: websocket`,
/// `Connection: Upgrade` and `Sec-WebSocket-Accept: <acceptKey(for: key)>`. Other answers carry no
/// headers beyond the ones named above.
public func checkHandshake(
    method: String, httpVersion: String, headers: [(name: String, value: String)]
) -> HandshakeAnswer {
    // Your code here.
    HandshakeAnswer(status: 101)
}

/// A server's answer to an upgrade request.
public struct HandshakeAnswer: Equatable, Sendable {
    /// The status code: 101 to switch to WebSocket, else the error.
    public var status: Int
    /// The headers the answer must carry, by name as written on the wire.
    public var headers: [String: String]

    /// An answer with this status and these headers.
    public init(status: Int, headers: [String: String] = [:]) {
        self.status = status
        self.headers = headers
    }
}
