import NIOHTTP1

/// A message that arrived: the request on a server (`req`), the response on a client (`res`).
///
/// The head is read in full before the message is handed out; the body follows as `data` events,
/// then `end`. Nobody listening to `data` leaves the body unread: reading (and the client) waits,
/// and once the server's response is finished an unread request body is thrown away, so the
/// connection can carry the next request.
///
/// Events: `data(Buffer)`, `end`, `aborted` (the connection closed before the body was complete),
/// `error`, `close`.
@NodeActor public final class IncomingMessage: EventEmitter {
    /// The request method (`GET`, `POST`, …); empty on a client's response.
    public let method: String
    /// The request target as sent (`/path?query`, or `host:port` for CONNECT); empty on a response.
    public let url: String
    /// The response status code; 0 on a request.
    public let statusCode: Int
    /// The response reason phrase; empty on a request.
    public let statusMessage: String
    /// `"1.1"` or `"1.0"`.
    public let httpVersion: String
    /// The 1 of `HTTP/1.1`.
    public let httpVersionMajor: Int
    /// The second 1 of `HTTP/1.1`.
    public let httpVersionMinor: Int
    /// Header names lower-cased; repeats folded as Node folds them (see ``headersDistinct``).
    /// Made on first use, as Node's getter makes it: most handlers never read it.
    public private(set) lazy var headers: [String: String] = folded.headers
    /// Every value of every header, names lower-cased (`set-cookie` is only here).
    public private(set) lazy var headersDistinct: [String: [String]] = folded.distinct
    /// Names and values as received, alternating: `["Host", "example.com", …]`.
    public private(set) lazy var rawHeaders: [String] = headerLines.flatMap { [$0.0, $0.1] }
    /// The header lines kept (see `maxHeadersCount`), as received.
    private let headerLines: ArraySlice<(String, String)>
    private lazy var folded = IncomingHeaders.fold(headerLines)
    /// Trailer headers of a chunked body, once `end` has fired.
    public private(set) var trailers: [String: String] = [:]
    /// The connection the message came on.
    public let socket: Socket
    /// Whether the whole body has been received.
    public private(set) var complete = false
    /// Whether the connection closed before the body was complete.
    public private(set) var aborted = false

    /// Flowing or not, the body's bytes not yet delivered, and its end.
    private var readable = ReadableState()
    private var closed = false
    /// Asks the connection to stop or restart reading while the body waits for a reader.
    var onBackPressure: (@NodeActor (_ paused: Bool) -> Void)?

    /// `maxHeadersCount`: how many header lines are kept (0: all); the rest are dropped.
    init(request head: HTTPRequestHead, socket: Socket, maxHeadersCount: Int) {
        method = head.method.rawValue
        url = head.uri
        statusCode = 0
        statusMessage = ""
        (httpVersionMajor, httpVersionMinor) = (head.version.major, head.version.minor)
        httpVersion = Self.versionText(head.version)
        headerLines = IncomingHeaders.lines(head.headers, limit: maxHeadersCount)
        self.socket = socket
        super.init()
    }

    /// `maxHeadersCount`: how many header lines are kept (0: all); the rest are dropped.
    init(response head: HTTPResponseHead, socket: Socket, maxHeadersCount: Int) {
        method = ""
        url = ""
        statusCode = Int(head.status.code)
        statusMessage = head.status.reasonPhrase
        (httpVersionMajor, httpVersionMinor) = (head.version.major, head.version.minor)
        httpVersion = Self.versionText(head.version)
        headerLines = IncomingHeaders.lines(head.headers, limit: maxHeadersCount)
        self.socket = socket
        super.init()
    }

    /// `1.1` and `1.0` without building a string each time; other versions as they came.
    private static func versionText(_ version: HTTPVersion) -> String {
        switch (version.major, version.minor) {
        case (1, 1): "1.1"
        case (1, 0): "1.0"
        default: "\(version.major).\(version.minor)"
        }
    }

    /// Whether a header `name` (any case) has `token` among its comma-separated values, read
    /// from the lines as received: what `headers[name]?.hasToken(token)` says, without folding.
    func header(_ name: String, hasToken token: String) -> Bool {
        // A loop, not `contains(where:)`: a closure formed here checks that it runs on the loop
        // each time the library calls it.
        for (lineName, value) in headerLines where lineName.caseInsensitiveEquals(name) {
            if value.hasToken(token) { return true }
        }
        return false
    }

    // MARK: From the parser

    func push(_ chunk: Buffer) {
        if let now = readable.push(chunk) {
            emit(.data, now)
        } else if readable.isFull {
            onBackPressure?(true)
        }
    }

    func pushEnd(trailers: HTTPHeaders?) {
        complete = true
        readable.pushEnd()
        if let trailers { self.trailers = IncomingHeaders.fold(trailers.map { ($0.name, $0.value) }).headers }
        // Unlike a socket's, a message's `end` waits for a reader even when its body is empty.
        if readable.flow == .flowing && readable.endIsDue { afterIOBatch { self.emitEnd() } }
    }

    /// The connection closed: a body still coming is cut short.
    func connectionClosed() {
        abortIfIncomplete()
        finishClosing()
    }

    /// The first half of ``connectionClosed()``: `aborted`, if the body was still coming, or
    /// (`orUnread`, a server's request) had not been read to its `end`: Node's server destroys a
    /// request the program never read, and its `_destroy` counts that as aborted too (checked with
    /// node 20: a `GET` nobody read, then the client gone: `aborted`, `error`, `close`).
    func abortIfIncomplete(orUnread: Bool = false) {
        guard !complete || (orUnread && readable.end != .emitted), !aborted else { return }
        aborted = true
        emit(.aborted)
    }

    /// The second half: the abort's `error` (to a listener only), then `close`.
    func finishClosing() {
        if aborted, !closed, listenerCount(.error) > 0 { emit(.error, .aborted) }
        emitClose()
    }

    /// `end` comes a tick after the last byte, as a Node stream's does: requests that arrived
    /// together all fire `request` before any fires `end`.
    private func emitEnd() {
        guard readable.endEmitted() else { return }
        emit(.end)
        afterIOBatch { self.emitClose() }
    }

    private func emitClose() {
        guard !closed else { return }
        closed = true
        emit(.close)
        releaseListeners()
    }

    // MARK: Reading

    /// Stops `data` events; the connection stops reading once a little has piled up.
    @discardableResult
    public func pause() -> IncomingMessage {
        readable.pause()
        return self
    }

    /// Starts or restarts `data` events.
    @discardableResult
    public func resume() -> IncomingMessage {
        guard readable.resume() else { return self }
        afterIOBatch { self.deliverBuffered() }
        return self
    }

    private func deliverBuffered() {
        while let chunk = readable.nextWhileFlowing() {
            emit(.data, chunk)
        }
        guard readable.flow == .flowing else { return }
        onBackPressure?(false)
        if readable.endIsDue { emitEnd() }
    }

    /// Whether the body has been or is being read (a `data` listener, `resume`).
    var isConsumed: Bool { readable.flow != .notYet }

    /// Throws away a body nobody read, as Node's `_dump` does, so the next request can be parsed.
    func dump() {
        guard readable.end != .emitted else { return }
        removeAllListeners(.data)
        resume()
    }

    /// A `data` listener starts the flow, as in Node.
    public override func listenerAdded(_ event: EventName) {
        if event == Event<IncomingMessage, Buffer>.data && readable.flow == .notYet { resume() }
    }
}

extension Event where Emitter: IncomingMessage, Payload == Buffer {
    /// A piece of the body.
    public static var data: Self { Self("data") }
}

extension Event where Emitter: IncomingMessage, Payload == Void {
    /// The whole body has been delivered.
    public static var end: Self { Self("end") }
    /// The connection closed before the body was complete.
    public static var aborted: Self { Self("aborted") }
    /// The message is done with: read to the end, or cut short.
    public static var close: Self { Self("close") }
}

extension Event where Emitter: IncomingMessage, Payload == NodeError {
    /// The body was cut short (`ECONNRESET`, "aborted"); only emitted when someone listens.
    public static var error: Self { Self("error") }
}

extension NodeError {
    /// A message's connection closed before its body was complete.
    static let aborted = NodeError(code: .econnreset, message: "aborted")
}
