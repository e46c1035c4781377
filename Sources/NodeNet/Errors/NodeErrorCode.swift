extension NodeError {
    /// The codes NodeNet raises itself, in one place: runtime code names a code by its member
    /// (`.econnreset`), and ``NodeError/code`` shows its text, as Node's `err.code` does.
    struct Code: RawRepresentable, Hashable, Sendable {
        let rawValue: String

        init(rawValue: String) {
            self.rawValue = rawValue
        }

        private init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        // System errors: the errno's name.
        static let eacces = Self("EACCES")
        static let eaddrinuse = Self("EADDRINUSE")
        static let eaddrnotavail = Self("EADDRNOTAVAIL")
        static let eafnosupport = Self("EAFNOSUPPORT")
        static let ebadf = Self("EBADF")
        static let econnaborted = Self("ECONNABORTED")
        static let econnrefused = Self("ECONNREFUSED")
        static let econnreset = Self("ECONNRESET")
        static let ehostunreach = Self("EHOSTUNREACH")
        static let einval = Self("EINVAL")
        static let emsgsize = Self("EMSGSIZE")
        static let enetunreach = Self("ENETUNREACH")
        static let enotconn = Self("ENOTCONN")
        static let enotfound = Self("ENOTFOUND")
        static let epipe = Self("EPIPE")
        static let etimedout = Self("ETIMEDOUT")

        // Node's own errors: ERR_ and the rest of the name.
        static let cryptoIncompatibleKeyOptions = Self("ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS")
        static let cryptoInvalidCurve = Self("ERR_CRYPTO_INVALID_CURVE")
        static let cryptoInvalidKeyObjectType = Self("ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE")
        static let cryptoOperationFailed = Self("ERR_CRYPTO_OPERATION_FAILED")
        static let httpHeadersSent = Self("ERR_HTTP_HEADERS_SENT")
        static let httpInvalidStatusCode = Self("ERR_HTTP_INVALID_STATUS_CODE")
        static let httpRequestTimeout = Self("ERR_HTTP_REQUEST_TIMEOUT")
        static let invalidArgValue = Self("ERR_INVALID_ARG_VALUE")
        static let invalidChar = Self("ERR_INVALID_CHAR")
        static let invalidHTTPToken = Self("ERR_INVALID_HTTP_TOKEN")
        static let invalidURL = Self("ERR_INVALID_URL")
        static let osslEVPUnsupported = Self("ERR_OSSL_EVP_UNSUPPORTED")
        static let osslPEMNoStartLine = Self("ERR_OSSL_PEM_NO_START_LINE")
        static let osslUnknown = Self("ERR_OSSL_UNKNOWN")
        static let osslX509SignatureCheckFailed = Self("ERR_OSSL_X509_SIGNATURE_CHECK_FAILED")
        static let outOfRange = Self("ERR_OUT_OF_RANGE")
        static let serverAlreadyListen = Self("ERR_SERVER_ALREADY_LISTEN")
        static let serverNotRunning = Self("ERR_SERVER_NOT_RUNNING")
        static let socket = Self("ERR_SOCKET")
        static let socketAlreadyBound = Self("ERR_SOCKET_ALREADY_BOUND")
        static let socketBadPort = Self("ERR_SOCKET_BAD_PORT")
        static let socketDgramNotRunning = Self("ERR_SOCKET_DGRAM_NOT_RUNNING")
        static let streamDestroyed = Self("ERR_STREAM_DESTROYED")
        static let streamWriteAfterEnd = Self("ERR_STREAM_WRITE_AFTER_END")
        static let tlsCertAltnameInvalid = Self("ERR_TLS_CERT_ALTNAME_INVALID")
        static let tlsHandshakeTimeout = Self("ERR_TLS_HANDSHAKE_TIMEOUT")
        static let tlsInvalidProtocolVersion = Self("ERR_TLS_INVALID_PROTOCOL_VERSION")
        static let tlsMissingKey = Self("ERR_TLS_MISSING_KEY")
        static let unescapedCharacters = Self("ERR_UNESCAPED_CHARACTERS")
        static let unhandledError = Self("ERR_UNHANDLED_ERROR")
        static let wsClosedBeforeOpen = Self("ERR_WS_CLOSED_BEFORE_OPEN")
        static let wsNotOpen = Self("ERR_WS_NOT_OPEN")

        // llhttp's parse errors: HPE_ and the reason.
        static let hpeChunkExtensionsOverflow = Self("HPE_CHUNK_EXTENSIONS_OVERFLOW")
        static let hpeClosedConnection = Self("HPE_CLOSED_CONNECTION")
        static let hpeHeaderOverflow = Self("HPE_HEADER_OVERFLOW")
        static let hpeInternal = Self("HPE_INTERNAL")
        static let hpeInvalidChunkSize = Self("HPE_INVALID_CHUNK_SIZE")
        static let hpeInvalidConstant = Self("HPE_INVALID_CONSTANT")
        static let hpeInvalidContentLength = Self("HPE_INVALID_CONTENT_LENGTH")
        static let hpeInvalidEOFState = Self("HPE_INVALID_EOF_STATE")
        static let hpeInvalidHeaderToken = Self("HPE_INVALID_HEADER_TOKEN")
        static let hpeInvalidMethod = Self("HPE_INVALID_METHOD")
        static let hpeInvalidStatus = Self("HPE_INVALID_STATUS")
        static let hpeInvalidURL = Self("HPE_INVALID_URL")
        static let hpeInvalidVersion = Self("HPE_INVALID_VERSION")
        static let hpeLFExpected = Self("HPE_LF_EXPECTED")
        static let hpeStrict = Self("HPE_STRICT")
        static let hpeUnexpectedContentLength = Self("HPE_UNEXPECTED_CONTENT_LENGTH")

        // The `ws` library's, for a peer that broke RFC 6455 or a handshake that failed.
        static let wsExpectedFIN = Self("WS_ERR_EXPECTED_FIN")
        static let wsExpectedMask = Self("WS_ERR_EXPECTED_MASK")
        static let wsInvalidCloseCode = Self("WS_ERR_INVALID_CLOSE_CODE")
        static let wsInvalidControlPayloadLength = Self("WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH")
        static let wsInvalidHandshake = Self("WS_ERR_INVALID_HANDSHAKE")
        static let wsInvalidOpcode = Self("WS_ERR_INVALID_OPCODE")
        static let wsInvalidUTF8 = Self("WS_ERR_INVALID_UTF8")
        static let wsUnexpectedMask = Self("WS_ERR_UNEXPECTED_MASK")
        static let wsUnexpectedResponse = Self("WS_ERR_UNEXPECTED_RESPONSE")
        static let wsUnexpectedRSV1 = Self("WS_ERR_UNEXPECTED_RSV_1")
        static let wsUnexpectedRSV23 = Self("WS_ERR_UNEXPECTED_RSV_2_3")
        static let wsUnsupportedMessageLength = Self("WS_ERR_UNSUPPORTED_MESSAGE_LENGTH")

        // OpenSSL's verification results, as Node names them.
        static let unableToGetIssuerCert = Self("UNABLE_TO_GET_ISSUER_CERT")

        /// The prefix of a code made from an OpenSSL library and reason (`ERR_OSSL_PEM_…`).
        static func openSSL(_ rest: String) -> Self { Self("ERR_OSSL_" + rest) }
    }

    /// An error with one of NodeNet's codes and Node's message for it.
    init(code: Code, message: String) {
        self.init(code: code.rawValue, message: message)
    }

    /// ``code`` as a ``Code``, to branch on in runtime code.
    var kind: Code { Code(rawValue: code) }
}
