/// §3.3 (HTTP服务的事件): `Expect: 100-continue` asks "may I send the body?" before sending it.
///
/// Decide what the server does with a request head, as Node 20's server does. `version` is
/// written as Node's `req.httpVersion` gives it: `"1.1"` or `"1.0"`, without `HTTP/`.
/// - HTTP/1.0 knows no `Expect`: whatever it says, `.handle` (emit `request`).
/// - HTTP/1.1 without `Expect`: `.handle`.
/// - `Expect` holding the word `100-continue` (any case): ask the application (Node's
///   `checkContinue` event) by calling `checkContinue`, and only then. If it accepts,
///   `.sendContinue`: write `ExpectDecision.continueResponse`, then handle the request and read its
///   body. If it refuses, `.reject(status:closeConnection:)` with its status, closing the
///   connection: the body was never read, so the connection's bytes can no longer be trusted.
/// - Any other expectation: `.reject(status: 417, closeConnection: false)`, Node's answer when no
///   one listens to `checkExpectation`. Nothing was promised, so the connection stays usable.
public func decideExpectation(
    version: String, expect: String?, checkContinue: () -> ContinueAnswer
) -> ExpectDecision {
    guard version == "1.1", let expect else { return .handle }
    guard holdsWord100Continue(expect) else { return .reject(status: 417, closeConnection: false) }
    switch checkContinue() {
    case .accept: return .sendContinue
    case .refuse(let status): return .reject(status: status, closeConnection: true)
    }
}

/// The application's answer to a `100-continue` request (in this workspace: accept when the
/// announced Content-Length is small enough, else refuse with 417).
public enum ContinueAnswer: Equatable, Sendable {
    /// Let the client send its body.
    case accept
    /// Answer at once with this final status.
    case refuse(status: Int)
}

/// What the server does with a request's `Expect` header.
public enum ExpectDecision: Equatable, Sendable {
    /// Handle the request as usual.
    case handle
    /// Write `continueResponse`, then handle the request and read its body.
    case sendContinue
    /// Answer with `status` without reading the body; close the connection after if told to.
    case reject(status: Int, closeConnection: Bool)

    /// The interim response that tells the client to send its body: a status line and an empty
    /// line, with no headers.
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
}

/// Node's test `/(?:^|\W)100-continue(?:\W|$)/i`: `100-continue` not inside a longer word.
private func holdsWord100Continue(_ value: String) -> Bool {
    let text = Array(value.lowercased().utf8)
    let word = Array("100-continue".utf8)
    func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
    guard text.count >= word.count else { return false }
    for start in 0...(text.count - word.count) where text[start..<(start + word.count)].elementsEqual(word) {
        let end = start + word.count
        if (start == 0 || !isWordByte(text[start - 1])) && (end == text.count || !isWordByte(text[end])) {
            return true
        }
    }
    return false
}
