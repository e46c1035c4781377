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
    // Your code here.
    .handle
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
    public static let continueResponse: [UInt8] =
        // Your code here.
        []
}
