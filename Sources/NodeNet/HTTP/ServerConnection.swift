import NIOCore
import NIOHTTP1

/// One TCP connection of an ``HTTPServer``: it turns parsed requests into `request` events,
/// answers them in order, and applies the server's timeouts and limits.
///
/// Requests may arrive back to back (pipelining); their responses queue, and only the first in
/// the queue writes to the socket, so answers go out in the order the requests came.
@NodeActor final class ServerConnection: MessageFramingDelegate, UpgradeEOFHolder {
    let server: HTTPServer
    let socket: Socket
    private let channel: any Channel
    private var parser: ServerParser?

    /// The request whose body is being read.
    private var incoming: IncomingMessage?
    private var incomingIsUpgrade = false
    /// Responses not yet finished; the first one owns the socket.
    private var outgoing: [ServerResponse] = []
    private var requestCount = 0
    /// Between the first byte of a request and its end.
    private var readingRequest = false
    /// Requests begun and ended. The framing sees the next request's first byte before the
    /// decoder reports the end of the one before it (llhttp reports them the other way round), so
    /// an end clears the clocks only when no later request has begun.
    private var messagesBegun = 0
    private var messagesEnded = 0
    private var failed = false
    private var closing = false
    /// Handed to an `upgrade` or `connect` listener: no longer HTTP.
    private(set) var upgraded = false

    /// When the request being read runs out of time for its head, and for all of it.
    private var headersDeadline: NIODeadline?
    private var requestDeadline: NIODeadline?
    /// When an idle keep-alive connection is closed.
    private var keepAliveDeadline: NIODeadline?
    /// The one timer behind all three deadlines, and when it fires.
    private var watchdog: Timeout?
    private var watchdogFiresAt: NIODeadline?
    /// The client's FIN, kept from the parser while an upgrade waits for its hand-over: at EOF
    /// SwiftNIO's decoder drops the bytes after the head, which belong to the new protocol.
    private var heldEOF = false
    /// The client has sent FIN after requests whose answers are ended but still queued: our FIN
    /// follows the last of them.
    private var endAfterAnswers = false

    init(server: HTTPServer, socket: Socket, channel: any Channel) throws {
        self.server = server
        self.socket = socket
        self.channel = channel
        try installParser(replaying: nil)
        // Told of the socket's error, drain, end and close until an upgrade hands it over.
        socket.handOver(to: self)
        // The parser reads the socket, so it flows: the client's FIN is the socket's `end`.
        socket.resume()
        // The first head is due `headersTimeout` after the connection is accepted (Node's
        // parser starts its clock when it is made), after the handshake for HTTPS.
        if !(socket is TLSSocket) { startClocks() }
    }

    /// The TLS handshake is done: from now on the client owes its first request.
    func secured() {
        startClocks()
    }

    /// Whether no request is being read or answered (a keep-alive connection between requests).
    var isIdle: Bool { !readingRequest && incoming == nil && outgoing.isEmpty && !upgraded }

    /// The client sent FIN. No half-open HTTP: our side ends too, as Node's `socketOnEnd` does;
    /// but an upgrade about to be handed over is its new owner's. On the next turn, as Node's
    /// socket `end` comes after the `end` of a request read in the same batch, so a program that
    /// answers at the request's `end` (chapter 3's server) answers a client that sent its
    /// requests and FIN together (`printf … | nc -N`). Answers the program has ended by then go
    /// out in order before our FIN; one it has not is lost, as in Node.
    private func peerEnded() {
        afterIOBatch {
            guard !self.upgraded, !self.incomingIsUpgrade else { return }
            if !self.outgoing.isEmpty && self.outgoing.allSatisfy(\.writableEnded) {
                self.endAfterAnswers = true
            } else {
                self.socket.end()
            }
        }
    }

    // MARK: Parsing

    private func installParser(replaying leftover: Buffer?) throws {
        let parser = ServerParser(connection: self, maxHeaderSize: server.maxHeaderSize)
        self.parser = parser
        try parser.install(in: channel, for: socket)
        if let leftover, !leftover.isEmpty { parser.replay(leftover, in: channel) }
    }

    /// The first byte of a request arrived, also one that came right behind the last request
    /// (llhttp's `on_message_begin`): its clocks start, as Node restarts them there.
    func messageBegan() {
        guard !failed else { return }
        messagesBegun += 1
        readingRequest = true
        startClocks()
    }

    /// A request's head is due in `headersTimeout`, all of it in `requestTimeout` (0: never).
    /// Each has its own switch: a `requestTimeout` of 0 leaves `headersTimeout` in force.
    private func startClocks() {
        keepAliveDeadline = nil
        let now = NIODeadline.now()
        headersDeadline =
            server.headersTimeout > 0 ? TimerDuration.deadline(server.headersTimeout, after: now) : nil
        requestDeadline =
            server.requestTimeout > 0 ? TimerDuration.deadline(server.requestTimeout, after: now) : nil
        armWatchdog()
    }

    /// A chunk-size line carried more extensions than Node allows: 413, as Node answers.
    func chunkExtensionsOverflowed() {
        fail(.chunkExtensionsOverflow)
    }

    /// Makes sure the watchdog fires by the earliest deadline. A timer per deadline would be
    /// made and cancelled for every request; the watchdog is moved only when a deadline comes
    /// before it, and otherwise fires early, finds nothing due, and sets itself again.
    private func armWatchdog() {
        guard let next = earliest(earliest(headersDeadline, requestDeadline), keepAliveDeadline) else {
            return
        }
        if let firesAt = watchdogFiresAt, firesAt <= next { return }
        watchdog?.close()
        watchdogFiresAt = next
        // Capped at Node's TIMEOUT_MAX: past it `setTimeout` fires in 1 ms (Node's rule for
        // JavaScript timers); the watchdog fires early at worst, finds nothing due, and re-arms.
        let milliseconds = min(
            TimerDuration.maximum, max(0, Int(((next - .now()).nanoseconds + 999_999) / 1_000_000)))
        // The socket keeps the program alive; the connection's watchdog does not add to that.
        watchdog = setTimeout(milliseconds) { [weak self] in self?.watchdogFired() }.unref()
    }

    private func watchdogFired() {
        watchdog = nil
        watchdogFiresAt = nil
        let now = NIODeadline.now()
        func due(_ deadline: NIODeadline?) -> Bool {
            guard let deadline else { return false }
            return deadline <= now
        }
        if due(headersDeadline) || due(requestDeadline) { return timedOut() }
        if due(keepAliveDeadline) { return socket.destroy() }
        armWatchdog()
    }

    private func stopRequestTimers() {
        headersDeadline = nil
        requestDeadline = nil
    }

    private func stopTimers() {
        stopRequestTimers()
        keepAliveDeadline = nil
        watchdog?.close()
        watchdog = nil
        watchdogFiresAt = nil
    }

    private func timedOut() {
        fail(.requestTimeout)
    }

    func didReceiveHead(_ head: HTTPRequestHead) {
        headersDeadline = nil
        keepAliveDeadline = nil
        requestCount += 1
        let req = IncomingMessage(request: head, socket: socket, maxHeadersCount: server.maxHeadersCount)
        req.onBackPressure = { [weak self] paused in
            self?.socket.setReadingStopped(paused, for: .bodyBackPressure)
        }
        incoming = req
        incomingIsUpgrade =
            head.method == .CONNECT || (head.asksToUpgrade && server.listenerCount(.upgrade) > 0)
        // An upgrade or CONNECT is handed over once its head is complete (at `end`).
        if incomingIsUpgrade { return }

        let res = ServerResponse(req: req, connection: self)
        res.shouldKeepAlive = head.isKeepAlive
        if server.keepAliveTimeout > 0 {
            res.keepAliveHint = (
                server.keepAliveTimeout, server.maxRequestsPerSocket > 0 ? server.maxRequestsPerSocket : nil
            )
        }
        outgoing.append(res)
        if outgoing.count == 1 { res.attach(socket) } else { pauseIfBackedUp() }

        if server.maxRequestsPerSocket > 0 {
            if requestCount > server.maxRequestsPerSocket {
                server.emit(.dropRequest, (req, socket))
                res.setHeader("Connection", "close")
                res.writeHead(503)
                res.end()
                return
            }
            res.maxRequestsOnConnectionReached = requestCount == server.maxRequestsPerSocket
        }
        if server.requireHostHeader && head.version == .http1_1 && !head.headers.contains(name: "host") {
            res.setHeader("Connection", "close")
            res.writeHead(400)
            res.end()
            return
        }
        if head.version == .http1_1, head.headers.contains(name: "expect") {
            if IncomingHeaders.asksToContinue(head.headers["expect"]) {
                res.expectsContinue = true
                if server.listenerCount(.checkContinue) > 0 {
                    server.emit(.checkContinue, (req, res))
                    return
                }
                res.writeContinue()
            } else {
                if server.listenerCount(.checkExpectation) > 0 {
                    server.emit(.checkExpectation, (req, res))
                } else {
                    res.writeHead(417)
                    res.end()
                }
                return
            }
        }
        server.emit(.request, (req, res))
    }

    func didReceiveBody(_ bytes: ByteBuffer) {
        incoming?.push(Buffer(bytes))
    }

    func didReceiveEnd(_ trailers: HTTPHeaders?) {
        messagesEnded += 1
        if messagesEnded >= messagesBegun {
            readingRequest = false
            stopRequestTimers()
        }
        guard let req = incoming else { return }
        incoming = nil
        req.pushEnd(trailers: trailers)
        let upgradeRequested =
            req.method == "CONNECT" || req.header("connection", hasToken: "upgrade")
        guard upgradeRequested else { return }
        // The parser stops after an upgrade request; the bytes after it are not HTTP, or, when
        // nobody took the upgrade, belong to the next request.
        let handOver = incomingIsUpgrade
        afterIOBatch {
            guard !self.socket.destroyed else { return }
            if handOver { self.handOver(req) } else { self.restartParser() }
        }
    }

    /// Takes the parser out and passes on the bytes it had not parsed.
    private func removeParser(then completion: @escaping @NodeActor (Buffer) -> Void) {
        guard let parser else { return }
        self.parser = nil
        // Paused, the socket keeps the decoder's left-over bytes instead of emitting them, and
        // reads nothing more until the next reader resumes it.
        socket.pauseUntilResumed()
        parser.remove(from: channel) { completion(self.socket.takeUnreadForHandover()) }
    }

    private func restartParser() {
        removeParser { leftover in
            self.socket.resume()
            do {
                try self.installParser(replaying: leftover)
            } catch {
                // The connection closed while the parser was out: nothing more to read.
                return self.socket.destroy()
            }
            self.releaseEOF()
        }
    }

    private func handOver(_ req: IncomingMessage) {
        upgraded = true
        removeParser { head in
            // The new owner finds the FIN waiting, after the bytes that came before it.
            self.releaseEOF()
            self.emitHandOver(req, head)
        }
    }

    /// Whether to keep the client's FIN from the parser for now (see `heldEOF`).
    func holdsEOF() -> Bool {
        heldEOF = incomingIsUpgrade && !upgraded
        return heldEOF
    }

    private func releaseEOF() {
        guard heldEOF else { return }
        heldEOF = false
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    private func emitHandOver(_ req: IncomingMessage, _ head: Buffer) {
        // As Node takes its listeners off: what happens to the socket now is not HTTP's.
        socket.handOver(to: nil)
        // The socket is the listener's now, no longer HTTP: the server forgets it (Node's
        // closeAllConnections leaves an upgraded socket alone too), and this connection goes.
        stopTimers()
        server.forget(self)
        if req.method == "CONNECT" {
            if server.listenerCount(.connect) > 0 {
                server.emit(.connect, (req, socket, head))
            } else {
                socket.destroy()
            }
        } else {
            server.emit(.upgrade, (req, socket, head))
        }
    }

    // MARK: Answering

    func responseFinished(_ res: ServerResponse) {
        guard let index = outgoing.firstIndex(ofIdentical: res) else { return }
        outgoing.remove(at: index)
        afterIOBatch {
            res.emit(.close)
            res.releaseListeners()
        }
        if !res.req.isConsumed { res.req.dump() }
        if res.last {
            // Everything is written; FIN, then close. What the client still sends is not read
            // as HTTP any more (an unsent body, a cut request): no `clientError` for it.
            closing = true
            socket.end(nil) { self.socket.destroy() }
            return
        }
        if let next = outgoing.first {
            next.attach(socket)
            resumeIfCaughtUp()
        } else if endAfterAnswers {
            socket.end()
        } else if isIdle {
            becameIdle()
        }
    }

    private func becameIdle() {
        if !server.listening {
            socket.destroy()
        } else if server.keepAliveTimeout > 0 {
            // Node waits one second longer than the `Keep-Alive: timeout=` it announced.
            keepAliveDeadline = TimerDuration.deadline(
                min(server.keepAliveTimeout, Int.max - 1000) + 1000, after: .now())
            armWatchdog()
        }
    }

    /// Bytes written to answers that wait behind the one on the wire (Node's `outgoingData`).
    private var queuedBytes: Int { outgoing.dropFirst().reduce(0) { $0 + $1.queuedBytes } }

    /// A client that sends requests without reading the answers would make the server queue
    /// them without end. As Node does, reading stops once the socket is behind or the queued
    /// answers hold a high-water mark's worth; the client's own writes then back up in TCP.
    private func pauseIfBackedUp() {
        let limit = socket.writableHighWaterMark
        if socket.writableLength >= limit || queuedBytes >= limit {
            socket.setReadingStopped(true, for: .pipelineBackPressure)
        }
    }

    private func resumeIfCaughtUp() {
        guard socket.isReadingStopped(for: .pipelineBackPressure), queuedBytes <= socket.writableHighWaterMark
        else { return }
        socket.setReadingStopped(false, for: .pipelineBackPressure)
    }

    // MARK: Failing

    /// A parse error, a timeout or a socket error: `clientError`, or Node's default answer.
    func fail(_ error: NodeError) {
        guard !failed, !upgraded, !closing else { return }
        failed = true
        stopTimers()
        if server.listenerCount(.clientError) > 0 {
            server.emit(.clientError, (error, socket))
            return
        }
        // Node answers unless a response has begun on the wire (it would corrupt it), then
        // closes: so a kept-alive connection whose next request stalls gets its 408 too.
        let responseBegun = outgoing.first?.headFlushed ?? false
        if !socket.destroyed && !socket.writableEnded && !responseBegun,
            let answer = ClientErrorAnswer.bytes(for: error)
        {
            socket.write(answer)
        }
        socket.destroy()
    }

    private func closed() {
        stopTimers()
        // The parser's handlers point back at this connection: the cycle ends here.
        parser = nil
        let (incoming, outgoing) = (self.incoming, self.outgoing)
        self.incoming = nil
        self.outgoing = []
        server.forget(self)
        // In Node's order (checked with node 20, a client gone in the middle of a request):
        // `aborted` at once, from HTTP's own `close` listener on the socket, the first; the
        // program's `close` listeners on the socket; the response's `close`, from a listener
        // Node adds with the response; the request's `error` and `close` a tick later.
        incoming?.abortIfIncomplete(orUnread: true)
        for res in outgoing { res.req.abortIfIncomplete(orUnread: true) }
        guard incoming != nil || !outgoing.isEmpty else { return }
        process.nextTick {
            for res in outgoing {
                res.emit(.close)
                res.releaseListeners()
            }
            for res in outgoing { res.req.finishClosing() }
            incoming?.finishClosing()
        }
    }
}

/// The earlier of two deadlines, either of which may be unset. Written out, where an array's
/// `compactMap` and `min` cost an allocation and, for each element, the closure's check that it
/// runs on the loop (see `ObjectIdentity.swift`).
private func earliest(_ first: NIODeadline?, _ second: NIODeadline?) -> NIODeadline? {
    guard let first else { return second }
    guard let second else { return first }
    return min(first, second)
}

extension ServerConnection: SocketOwner {
    func socketFailed(_ error: NodeError) { fail(error) }

    func socketDrained() {
        outgoing.first?.socketDrained()
        resumeIfCaughtUp()
    }

    func socketEnded() { peerEnded() }

    func socketClosed() { closed() }
}
