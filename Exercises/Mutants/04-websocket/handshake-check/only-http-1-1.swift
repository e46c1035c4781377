// Mutant: accepts only the version "1.1", where RFC 6455 asks for 1.1 or later.
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
    func value(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }
    // Tokens hold no spaces, so cutting at commas and whitespace leaves exactly the tokens.
    func tokens(_ name: String) -> [Substring] {
        (value(name) ?? "").lowercased().split { ", \t".contains($0) }
    }
    guard method == "GET" else { return HandshakeAnswer(status: 405, headers: ["Allow": "GET"]) }
    guard httpVersion == "1.1" else {
        return HandshakeAnswer(status: 400)
    }
    guard tokens("upgrade").contains("websocket"), tokens("connection").contains("upgrade") else {
        return HandshakeAnswer(status: 400)
    }
    guard let key = value("sec-websocket-key"), isSixteenBytesOfBase64(key) else {
        return HandshakeAnswer(status: 400)
    }
    guard value("sec-websocket-version") == "13" else {
        return HandshakeAnswer(status: 426, headers: ["Sec-WebSocket-Version": "13"])
    }
    return HandshakeAnswer(
        status: 101,
        headers: [
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": acceptKey(for: key),
        ]
    )
}

/// 16 bytes are 128 bits: 21 whole base64 characters of 6 bits, a 22nd holding the last 2 bits,
/// and `==` to pad to a multiple of 4 characters.
private func isSixteenBytesOfBase64(_ key: String) -> Bool {
    let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    return key.count == 24 && key.hasSuffix("==") && key.dropLast(2).allSatisfy(alphabet.contains)
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
