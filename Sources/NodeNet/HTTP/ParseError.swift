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
        let (code, reason): (String, String) =
            switch error {
            case .invalidCharactersUsed: ("HPE_INVALID_HEADER_TOKEN", "Invalid header value char")
            case .trailingGarbage: ("HPE_INVALID_CONSTANT", "Expected HTTP/")
            case .invalidEOFState: ("HPE_INVALID_EOF_STATE", "")
            case .headerOverflow: ("HPE_HEADER_OVERFLOW", "Header overflow")
            case .closedConnection: ("HPE_CLOSED_CONNECTION", "Data after `Connection: close`")
            case .invalidVersion: ("HPE_INVALID_VERSION", "Invalid HTTP version")
            case .invalidStatus: ("HPE_INVALID_STATUS", "Invalid status code")
            case .invalidMethod: ("HPE_INVALID_METHOD", "Invalid method encountered")
            case .invalidURL, .invalidHost, .invalidPort, .invalidPath, .invalidQueryString, .invalidFragment:
                ("HPE_INVALID_URL", "Invalid URL")
            case .lfExpected: ("HPE_LF_EXPECTED", "Missing expected LF after header value")
            case .invalidHeaderToken: ("HPE_INVALID_HEADER_TOKEN", "Invalid header token")
            case .invalidContentLength: ("HPE_INVALID_CONTENT_LENGTH", "Invalid character in Content-Length")
            case .unexpectedContentLength:
                ("HPE_UNEXPECTED_CONTENT_LENGTH", "Content-Length can't be present with Transfer-Encoding")
            case .invalidChunkSize: ("HPE_INVALID_CHUNK_SIZE", "Invalid character in chunk size header")
            case .invalidConstant: ("HPE_INVALID_CONSTANT", "Invalid constant string")
            case .strictModeAssertion: ("HPE_STRICT", "Strict mode assertion failed")
            default: ("HPE_INTERNAL", "Internal parser error")
            }
        self.init(code: code, message: reason.isEmpty ? "Parse Error" : "Parse Error: \(reason)")
    }

    /// A chunk-size line carried over 16 KiB of extensions (Node's fix for CVE-2024-22019).
    static let chunkExtensionsOverflow = NodeError(
        code: "HPE_CHUNK_EXTENSIONS_OVERFLOW", message: "Parse Error: Chunk extensions overflow")

    /// `headersTimeout` or `requestTimeout` ran out.
    static let requestTimeout = NodeError(code: "ERR_HTTP_REQUEST_TIMEOUT", message: "Request timeout")
}

/// What Node writes to a client whose request it cannot parse, when no `clientError` listener
/// answers instead: a bare status line and `Connection: close`.
enum ClientErrorAnswer {
    static func bytes(for error: NodeError) -> Buffer? {
        let status: Int? =
            switch error.code {
            case "HPE_HEADER_OVERFLOW": 431
            case "HPE_CHUNK_EXTENSIONS_OVERFLOW": 413
            case "ERR_HTTP_REQUEST_TIMEOUT": 408
            case "ECONNRESET", "EPIPE": nil
            default: 400
            }
        return status.map { Buffer("HTTP/1.1 \($0) \(StatusCodes.reason($0))\r\nConnection: close\r\n\r\n") }
    }
}
