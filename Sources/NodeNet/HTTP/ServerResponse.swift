/// The server's answer to one request (Node's `res`): status, headers, then the body.
///
/// Nothing goes out until the first `write` or `end`: until then headers can change. `end("…")`
/// alone sends a `Content-Length`; `write` before `end` streams the body in chunks (HTTP/1.1).
@NodeActor public final class ServerResponse: OutgoingMessage {
    /// The status to send if `writeHead` is not called (200).
    public var statusCode = 200
    /// The reason phrase; the standard one for the code when nil.
    public var statusMessage: String?
    /// The request this answers.
    public let req: IncomingMessage
    var expectsContinue = false
    private var sentContinue = false
    weak var connection: ServerConnection?

    init(req: IncomingMessage, connection: ServerConnection) {
        self.req = req
        self.connection = connection
        super.init()
        sendDate = true
        if req.method == "HEAD" { hasBody = false }
        if req.httpVersionMajor < 1 || (req.httpVersionMajor == 1 && req.httpVersionMinor < 1) {
            useChunkedEncodingByDefault = req.headers["te"]?.hasToken("chunked") ?? false
        }
    }

    /// Sets the status and headers and builds the head; the headers given here join (and win
    /// over) those set with `setHeader`. Call it once, before any `write`.
    @discardableResult
    public func writeHead(
        _ statusCode: Int,
        _ statusMessage: String? = nil,
        _ headers: KeyValuePairs<String, String> = [:]
    ) -> ServerResponse {
        guard !headersSent else {
            emit(.error, .headersSent("write"))
            return self
        }
        guard (100...999).contains(statusCode) else {
            emit(
                .error,
                NodeError(code: .httpInvalidStatusCode, message: "Invalid status code: \(statusCode)")
            )
            return self
        }
        let reason = statusMessage ?? self.statusMessage ?? StatusCodes.reason(statusCode)
        if let problem = HeaderValidation.problem(statusMessage: reason) {
            // A CR LF here would end the status line and start headers of the caller's making.
            emit(.error, problem)
            return self
        }
        for (name, value) in headers { setHeader(name, value) }
        self.statusCode = statusCode
        if let statusMessage { self.statusMessage = statusMessage }
        if statusCode == 204 || statusCode == 304 || (100..<200).contains(statusCode) { hasBody = false }
        // A client still waiting to send its body gets an answer instead: it must not send it now.
        if expectsContinue && !sentContinue { shouldKeepAlive = false }
        storeHead { head in
            head.writeStaticString("HTTP/1.1 ")
            head.writeLine(String(statusCode), " ", reason)
        }
        return self
    }

    /// Same as ``writeHead(_:_:_:)`` without a reason phrase.
    @discardableResult
    public func writeHead(_ statusCode: Int, _ headers: KeyValuePairs<String, String>) -> ServerResponse {
        writeHead(statusCode, nil, headers)
    }

    override func implicitHead() {
        writeHead(statusCode)
    }

    /// Tells a client that sent `Expect: 100-continue` to go on and send its body.
    public func writeContinue(_ callback: (@NodeActor () -> Void)? = nil) {
        sentContinue = true
        sendRaw(Buffer("HTTP/1.1 100 Continue\r\n\r\n"))
        if let callback { afterIOBatch(callback) }
    }

    override func finished() {
        connection?.responseFinished(self)
    }
}
