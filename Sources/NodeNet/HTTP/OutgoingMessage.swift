import NIOCore

/// What ``ServerResponse`` and ``ClientRequest`` share, as in Node: headers set one by one, a head
/// stored once and sent with the first body bytes, and the body framed by `Content-Length` or
/// chunked encoding, whichever the head promised.
///
/// Events: `drain` (a `write` returned false, and the connection has since caught up), `finish`
/// (the last byte is handed to the connection), `close`, `error`.
@NodeActor public class OutgoingMessage: EventEmitter {
    var headerList = OutgoingHeaders()
    /// The head's life: built once by `writeHead` or by the first write (Node's `_header`), then
    /// sent with the first body bytes (`_headerSent`).
    private var head = Head.notBuilt
    var chunkedEncoding = false
    var useChunkedEncodingByDefault = true
    /// Whether the peer may keep the connection open after this message.
    public var shouldKeepAlive = true
    var maxRequestsOnConnectionReached = false
    /// A client request with an agent may keep the connection without a length (Node: `this.agent`).
    var keepAliveWithoutLength = false
    /// Set when the connection must close after this message (`Connection: close` was written).
    var last = false
    var hasBody = true
    /// Whether to add a `Date` header if none is set (responses: true).
    public var sendDate = false
    /// What `Keep-Alive: timeout=…, max=…` says; nil writes no such header (clients).
    var keepAliveHint: (timeout: Int, max: Int?)?
    var contentLength: Int?

    /// The connection this message is written to, once it is its turn.
    public internal(set) var socket: Socket?
    private var pending: [(Buffer, (@NodeActor (NodeError?) -> Void)?)] = []
    /// The bytes queued before the message has its connection, the `drain` owed, and the end.
    private var writable = WritableState()
    /// Bytes written while the message waits for its turn on the connection.
    var queuedBytes: Int { writable.length }

    /// Whether `end()` has been called.
    public var writableEnded: Bool { writable.ended }
    /// Whether every byte has been handed to the connection (`finish` has fired).
    public var writableFinished: Bool { writable.finished }
    /// Whether a `write` returned false and its `drain` is still to come (never once `end()` is
    /// called).
    public var writableNeedDrain: Bool { writable.needsDrain }

    /// Whether the head has been built (it goes out with the first body bytes); headers can no
    /// longer change.
    public var headersSent: Bool {
        if case .notBuilt = head { return false }
        return true
    }

    /// Whether the head has gone to the connection.
    var headFlushed: Bool {
        if case .sent = head { return true }
        return false
    }

    private enum Head {
        case notBuilt
        /// Built, with room left for the first body bytes to join it in one write.
        case built(ByteBuffer)
        case sent
    }

    // MARK: Headers

    /// Sets a header, replacing any earlier value; the name keeps its case on the wire.
    @discardableResult
    public func setHeader(_ name: String, _ value: String) -> Self {
        setHeader(name, [value])
    }

    /// Sets a header that is written once per value (`Set-Cookie`).
    @discardableResult
    public func setHeader(_ name: String, _ values: [String]) -> Self {
        guard ensureHeadersNotSent("set") else { return self }
        guard let problem = HeaderValidation.problem(name: name, values: values) else {
            headerList[name] = values
            return self
        }
        emit(.error, problem)
        return self
    }

    /// A header's value, in any case of `name`; several values are joined with ", ".
    public func getHeader(_ name: String) -> String? {
        headerList[name]?.joined(separator: ", ")
    }

    /// Every value of a header.
    public func getHeaderValues(_ name: String) -> [String]? {
        headerList[name]
    }

    /// Whether a header is set.
    public func hasHeader(_ name: String) -> Bool { headerList[name] != nil }

    /// The lower-cased names of the headers set so far.
    public func getHeaderNames() -> [String] { headerList.names }

    /// Removes a header, so that even the automatic one (`Date`, `Content-Length`) is not written
    /// if it is one of those.
    public func removeHeader(_ name: String) {
        guard ensureHeadersNotSent("remove") else { return }
        headerList[name] = nil
        if name.caseInsensitiveEquals("date") { sendDate = false }
    }

    private func ensureHeadersNotSent(_ verb: String) -> Bool {
        guard headersSent else { return true }
        emit(.error, .headersSent(verb))
        return false
    }

    // MARK: The head

    /// Builds the head, its first line written by `firstLine`, then the headers, as Node's
    /// `_storeHeader` does, deciding on the way whether the connection stays open and how the
    /// body is framed.
    func storeHead(firstLine: (inout ByteBuffer) -> Void) {
        // Written piece by piece straight into the bytes that go out: every String built on the
        // way (a status line, `Date: …`) was an allocation per response.
        var head = ByteBufferAllocator().buffer(capacity: 256)
        firstLine(&head)
        var sawConnection = false
        var sawContentLength = false
        var sawTransferEncoding = false
        var sawDate = false
        headerList.forEachLine { name, value in
            head.writeLine(name, ": ", value)
            if name.caseInsensitiveEquals("connection") {
                sawConnection = true
                if value.hasToken("close") { last = true } else { shouldKeepAlive = true }
            } else if name.caseInsensitiveEquals("content-length") {
                sawContentLength = true
            } else if name.caseInsensitiveEquals("transfer-encoding") {
                sawTransferEncoding = true
                if value.hasToken("chunked") { chunkedEncoding = true }
            } else if name.caseInsensitiveEquals("date") {
                sawDate = true
            }
        }
        if sendDate && !sawDate {
            head.writeLine("Date", ": ", HTTPDate.now())
        }
        if !sawConnection {
            let sendKeepAlive =
                shouldKeepAlive && (sawContentLength || useChunkedEncodingByDefault || keepAliveWithoutLength)
            if sendKeepAlive && maxRequestsOnConnectionReached {
                // Node announces the close but keeps reading: a request already on its way is
                // answered 503 rather than lost.
                head.writeStaticString("Connection: close\r\n")
            } else if sendKeepAlive {
                head.writeStaticString("Connection: keep-alive\r\n")
                if let hint = keepAliveHint {
                    head.writeStaticString("Keep-Alive: timeout=")
                    head.writeString(String(hint.timeout / 1000))
                    if let max = hint.max {
                        head.writeStaticString(", max=")
                        head.writeString(String(max))
                    }
                    head.writeStaticString("\r\n")
                }
            } else {
                last = true
                head.writeStaticString("Connection: close\r\n")
            }
        }
        if !sawContentLength && !sawTransferEncoding {
            if !hasBody {
                chunkedEncoding = false
            } else if !useChunkedEncodingByDefault {
                // HTTP/1.0 has no chunks: the body ends when the connection does.
                last = true
            } else if let contentLength {
                head.writeLine("Content-Length", ": ", String(contentLength))
            } else {
                head.writeStaticString("Transfer-Encoding: chunked\r\n")
                chunkedEncoding = true
            }
        }
        head.writeStaticString("\r\n")
        self.head = .built(head)
    }

    /// Builds the head with what is known so far; called by the first `write` or `end`.
    func implicitHead() {
        fatalError("\(type(of: self)) must say how its head starts")
    }

    // MARK: The body

    /// Sends a piece of the body (the head goes first). Returns false when the connection has
    /// more queued than it likes: wait for `drain`. `callback` runs once the bytes are handed over.
    @discardableResult
    public func write(_ chunk: Buffer, _ callback: (@NodeActor (NodeError?) -> Void)? = nil) -> Bool {
        if let refusal = writable.refusal(destroyed: false) {
            // As Node: the callback, then `error` unless the connection is gone, both later.
            afterIOBatch {
                callback?(refusal.error)
                if self.socket?.destroyed != true { self.emit(.error, refusal.error) }
            }
            return false
        }
        if !headersSent { implicitHead() }
        // The head was refused (an `error` said why): no body goes out without one.
        guard headersSent else { return false }
        return writeBody(chunk, callback)
    }

    /// Sends the UTF-8 bytes of `text` as a piece of the body.
    @discardableResult
    public func write(_ text: String, _ callback: (@NodeActor (NodeError?) -> Void)? = nil) -> Bool {
        write(Buffer(text), callback)
    }

    private func writeBody(_ chunk: Buffer, _ callback: (@NodeActor (NodeError?) -> Void)?) -> Bool {
        guard hasBody else {
            // A HEAD response or a 204 has no body: the bytes are dropped, as Node drops them.
            if let callback { afterIOBatch { callback(nil) } }
            return true
        }
        guard !chunk.isEmpty else {
            if let callback { afterIOBatch { callback(nil) } }
            return true
        }
        return send(chunkedEncoding ? Self.chunked(chunk) : chunk, callback)
    }

    /// `chunk` as one chunk of a chunked body, size line and all, then the last chunk if `last`:
    /// one buffer, one write. Three writes were three system calls for every `write`.
    private static func chunked(_ chunk: Buffer, thenLast last: Bool = false) -> Buffer {
        var bytes = ByteBufferAllocator().buffer(capacity: chunk.count + 32)
        if !chunk.isEmpty {
            bytes.writeString(String(chunk.count, radix: 16))
            bytes.writeStaticString("\r\n")
            bytes.writeImmutableBuffer(chunk.storage)
            bytes.writeStaticString("\r\n")
        }
        if last { bytes.writeStaticString("0\r\n\r\n") }
        return Buffer(bytes)
    }

    /// Sends `chunk` if given and finishes the message. `callback` runs at `finish`, or at once if
    /// the message has already finished (Node passes it `ERR_STREAM_ALREADY_FINISHED` then).
    public func end(_ chunk: Buffer? = nil, _ callback: (@NodeActor () -> Void)? = nil) {
        if let callback {
            if writableFinished { callback() } else { once(.finish, callback) }
        }
        guard !writableEnded else { return }
        if !headersSent {
            contentLength = chunk?.count ?? 0
            implicitHead()
            guard headersSent else { return }
        }
        let finishing: @NodeActor (NodeError?) -> Void = { error in
            if error == nil { self.didFinish() }
        }
        if chunkedEncoding && hasBody {
            // The body's last bytes and the last chunk in one write, as Node's `end` corks the
            // socket around them.
            _ = writable.beginEnding()
            send(Self.chunked(chunk ?? Buffer([UInt8]()), thenLast: true), finishing)
            return
        }
        let lastPiece = hasBody && !(chunk?.isEmpty ?? true)
        if let chunk {
            // The usual `res.end(body)`: the body's write is the last, and `finish` waits for it
            // alone, so the whole response is one write with nothing behind it.
            _ = writeBody(chunk, lastPiece ? finishing : nil)
        }
        _ = writable.beginEnding()
        if lastPiece { return }
        send(Buffer([UInt8]()), finishing)
    }

    /// Sends the UTF-8 bytes of `text` and finishes the message.
    public func end(_ text: String, _ callback: (@NodeActor () -> Void)? = nil) {
        end(Buffer(text), callback)
    }

    private func didFinish() {
        guard writable.finish() != nil else { return }
        emit(.finish)
        finished()
    }

    /// Called once `finish` has fired; the server's response hands the connection on.
    func finished() {}

    // MARK: The connection

    /// Writes raw bytes (the head goes first, once); queued until the message has its connection.
    @discardableResult
    func send(_ data: Buffer, _ callback: (@NodeActor (NodeError?) -> Void)? = nil) -> Bool {
        var data = data
        if case .built(var bytes) = head {
            // Marked sent first, so that `bytes` holds the only reference and grows in place.
            head = .sent
            bytes.writeImmutableBuffer(data.storage)
            data = Buffer(bytes)
        }
        guard let socket else {
            pending.append((data, callback))
            writable.queue(data.count)
            return writable.answer()
        }
        return writeToSocket(socket, data, callback)
    }

    /// Writes bytes that are not part of the message (`100 Continue`), ahead of the head.
    func sendRaw(_ data: Buffer) {
        if let socket { _ = writeToSocket(socket, data, nil) } else { pending.append((data, nil)) }
    }

    private func writeToSocket(
        _ socket: Socket, _ data: Buffer, _ callback: (@NodeActor (NodeError?) -> Void)?
    ) -> Bool {
        guard !socket.destroyed, !socket.writableEnded else {
            // The peer is gone; Node drops what is written to a closed connection.
            if let callback { afterIOBatch { callback(.writeAfterDestroy) } }
            return false
        }
        // Even an empty write goes through the socket: its callback then runs after every
        // earlier byte is handed over, which is when `finish` may fire.
        return writable.answer(belowMark: socket.write(data, callback))
    }

    /// Gives the message its connection and sends what was queued.
    func attach(_ socket: Socket) {
        self.socket = socket
        let queued = pending
        pending = []
        writable.handedOver(writable.length)
        for (data, callback) in queued { _ = writeToSocket(socket, data, callback) }
    }

    /// The connection has caught up: `drain` if a `write` returned false, and `end()` has not
    /// been called since (Node's `socketOnDrain`).
    func socketDrained() {
        guard writable.takeDrain() else { return }
        emit(.drain)
    }
}

extension Event where Emitter: OutgoingMessage, Payload == Void {
    /// A `write` returned false earlier, and the connection has since caught up.
    public static var drain: Self { Self("drain") }
    /// The whole message has been handed to the connection.
    public static var finish: Self { Self("finish") }
    /// The message is done with, or its connection closed first.
    public static var close: Self { Self("close") }
}

extension Event where Emitter: OutgoingMessage, Payload == NodeError {
    /// Misuse (headers after they were sent, write after end) or a failed connection.
    public static var error: Self { Self("error") }
}

extension NodeError {
    static func headersSent(_ verb: String) -> NodeError {
        NodeError(
            code: .httpHeadersSent,
            message: "Cannot \(verb) headers after they are sent to the client")
    }
}
