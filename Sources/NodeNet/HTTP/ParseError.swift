import NIOCore
import NIOHTTP1

extension NodeError {
    /// A parse error as Node reports it: llhttp's `HPE_…` code and `Parse Error: <reason>`.
    /// Nil for errors that are not the parser's.
    init?(parseError error: any Error) {
        if case ByteToMessageDecoderError.dataReceivedInErrorState(let underlying, _) = error {
            self.init(parseError: underlying)
            return
        }
        guard let error = error as? HTTPParserError else { return nil }
        let (code, reason): (Code, String) =
            switch error {
            case .invalidCharactersUsed: (.hpeInvalidHeaderToken, "Invalid header value char")
            case .trailingGarbage: (.hpeInvalidConstant, "Expected HTTP/")
            case .invalidEOFState: (.hpeInvalidEOFState, "")
            case .headerOverflow: (.hpeHeaderOverflow, "Header overflow")
            case .closedConnection: (.hpeClosedConnection, "Data after `Connection: close`")
            case .invalidVersion: (.hpeInvalidVersion, "Invalid HTTP version")
            case .invalidStatus: (.hpeInvalidStatus, "Invalid status code")
            case .invalidMethod: (.hpeInvalidMethod, "Invalid method encountered")
            case .invalidURL, .invalidHost, .invalidPort, .invalidPath, .invalidQueryString, .invalidFragment:
                (.hpeInvalidURL, "Invalid URL")
            case .lfExpected: (.hpeLFExpected, "Missing expected LF after header value")
            case .invalidHeaderToken: (.hpeInvalidHeaderToken, "Invalid header token")
            case .invalidContentLength: (.hpeInvalidContentLength, "Invalid character in Content-Length")
            case .unexpectedContentLength:
                (.hpeUnexpectedContentLength, "Content-Length can't be present with Transfer-Encoding")
            case .invalidChunkSize: (.hpeInvalidChunkSize, "Invalid character in chunk size header")
            case .invalidConstant: (.hpeInvalidConstant, "Invalid constant string")
            case .strictModeAssertion: (.hpeStrict, "Strict mode assertion failed")
            default: (.hpeInternal, "Internal parser error")
            }
        self.init(code: code, message: reason.isEmpty ? "Parse Error" : "Parse Error: \(reason)")
    }

    /// Node's words for a request whose connection closed before any answer came, or that was
    /// destroyed before it had a connection.
    static let socketHangUp = NodeError(code: .econnreset, message: "socket hang up")

    /// A chunk-size line carried over 16 KiB of extensions (Node's fix for CVE-2024-22019).
    static let chunkExtensionsOverflow = NodeError(
        code: .hpeChunkExtensionsOverflow, message: "Parse Error: Chunk extensions overflow")

    /// `headersTimeout` or `requestTimeout` ran out.
    static let requestTimeout = NodeError(code: .httpRequestTimeout, message: "Request timeout")
}

/// What Node writes to a client whose request it cannot parse, when no `clientError` listener
/// answers instead: a bare status line and `Connection: close`.
enum ClientErrorAnswer {
    static func bytes(for error: NodeError) -> Buffer? {
        let status: Int? =
            switch error.kind {
            case .hpeHeaderOverflow: 431
            case .hpeChunkExtensionsOverflow: 413
            case .httpRequestTimeout: 408
            case .econnreset, .epipe: nil
            default: 400
            }
        return status.map { Buffer("HTTP/1.1 \($0) \(StatusCodes.reason($0))\r\nConnection: close\r\n\r\n") }
    }
}
