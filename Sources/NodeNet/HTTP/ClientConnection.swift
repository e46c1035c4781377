import NIOCore
import NIOHTTP1

/// One TCP connection of an ``Agent``: it carries one ``ClientRequest`` at a time and turns the
/// answer into the request's `response` (or `continue`, `information`, `upgrade`, `connect`).
@NodeActor final class ClientConnection: MessageFramingDelegate, UpgradeEOFHolder {
    let socket: Socket
    let key: String
    private let agent: Agent
    private var parser: ClientParser?
    private(set) var request: ClientRequest?
    private var response: IncomingMessage?
    private var handOverResponse: IncomingMessage?
    /// An upgrade or a tunnel was answered: the socket goes to the program on a later turn, and
    /// the server's FIN meanwhile waits for it (``UpgradeEOFHold``).
    private var handingOver = false
    /// The server's FIN, kept from the parser while the hand-over waits (``UpgradeEOFHold``).
    private var heldEOF = false
    /// The connection's own listeners, from its first moment: they act only while no request's
    /// are on the socket (a kept connection waiting in the agent).
    private var connectionListeners: [Listener] = []
    /// The listeners of the request the socket carries, added as it is assigned, as Node's client
    /// adds its own: on a kept connection a program's listeners from an earlier request come
    /// before them. Taken off when the connection is kept for the next request; all listeners
    /// come off at an upgrade, where the socket becomes the program's and its `timeout`, say,
    /// only an event.
    private var requestListeners: [Listener] = []

    init(socket: Socket, key: String, agent: Agent) {
        self.socket = socket
        self.key = key
        self.agent = agent
        connectionListeners = [
            socket.on(.error) { [weak self] _ in self?.whileKept { $0.socket.destroy() } },
            socket.on(.close) { [weak self] _ in self?.whileKept { $0.agent.forget($0) } },
            // A kept connection gone idle is closed.
            socket.on(.timeout) { [weak self] in self?.whileKept { $0.socket.destroy() } },
        ]
        // The parser reads the socket, so it flows: the server's FIN is the socket's `end`.
        socket.resume()
    }

    private func whileKept(_ body: (ClientConnection) -> Void) {
        if requestListeners.isEmpty { body(self) }
    }

    private func listenForRequest() {
        guard requestListeners.isEmpty else { return }
        requestListeners = [
            socket.on(.error) { [weak self] error in self?.fail(error) },
            socket.on(.drain) { [weak self] in self?.request?.socketDrained() },
            socket.on(.end) { [weak self] in self?.serverEnded() },
            socket.on(.close) { [weak self] _ in self?.closed() },
            // Idle while carrying a request: the request's `timeout`.
            socket.on(.timeout) { [weak self] in
                guard let self else { return }
                if let request = self.request { request.emit(.timeout) } else { self.socket.destroy() }
            },
        ]
    }

    private func stopListening(_ listeners: inout [Listener]) {
        for listener in listeners { socket.off(listener) }
        listeners = []
    }

    /// Whether the socket is connected and its parser in place.
    var isReady: Bool { parser != nil }

    /// Puts the parser on the connected socket (before anything queued is written).
    func connected() {
        guard let channel = socket.channel else { return }
        let parser = ClientParser(
            connection: self, maxHeaderSize: request?.maxHeaderSize ?? RequestOptions.defaultMaxHeaderSize)
        try? parser.install(in: channel, for: socket)
        self.parser = parser
        if let request { parser.announce(request.requestHead) }
    }

    /// Gives the connection its next request.
    func assign(_ request: ClientRequest) {
        self.request = request
        response = nil
        listenForRequest()
        if let channel = socket.channel { parser?.limitHeaders(to: request.maxHeaderSize, in: channel) }
        parser?.announce(request.requestHead)
        request.assigned(to: socket)
    }

    // MARK: From the parser

    func didReceiveHead(_ head: HTTPResponseHead) {
        guard let request else { return }
        let code = Int(head.status.code)
        if code < 200 && request.method == "CONNECT" {
            // The real answer is still to come: on the next turn, once the decoder has finished
            // with this head, the guard looks for the end of that one.
            afterIOBatch { self.parser?.rearmConnectGuard() }
        }
        if code == 100 {
            request.emit(.continue)
            return
        }
        if (102..<200).contains(code) {
            request.emit(.information, InformationalResponse(head))
            return
        }
        let res = IncomingMessage(
            response: head, socket: socket, maxHeadersCount: request.maxHeadersCount)
        if request.method == "CONNECT" {
            if (200..<300).contains(code) {
                // The tunnel is open; its answer has no end to wait for.
                handingOver = true
                afterIOBatch { self.handOver(res) }
                return
            }
            // A refusal: its body is HTTP after all. Released on the next turn, once the decoder
            // has finished with the head.
            afterIOBatch { self.parser?.releaseConnectGuard() }
        }
        if code == 101 {
            handOverResponse = res
            handingOver = true
            return
        }
        // A body nobody reads stops the socket reading at its high-water mark, as on the server.
        res.onBackPressure = { [weak self] paused in
            self?.socket.setReadingStopped(paused, for: .bodyBackPressure)
        }
        response = res
        request.responseArrived(res)
    }

    func didReceiveBody(_ bytes: ByteBuffer) {
        response?.push(Buffer(bytes))
    }

    func didReceiveEnd(_ trailers: HTTPHeaders?) {
        if let res = handOverResponse {
            handOverResponse = nil
            afterIOBatch { self.handOver(res) }
            return
        }
        guard let res = response, let request else { return }
        response = nil
        self.request = nil
        res.pushEnd(trailers: trailers)
        let keepAlive =
            agent.keepAlive && request.shouldKeepAlive
            && !res.header("connection", hasToken: "close")
            && (res.httpVersionMinor >= 1 || res.header("connection", hasToken: "keep-alive"))
        request.completed()
        if keepAlive {
            stopListening(&requestListeners)
            agent.free(self)
        } else {
            socket.end(nil) { self.socket.destroy() }
        }
    }

    private func handOver(_ res: IncomingMessage) {
        guard let request, let parser, let channel = socket.channel else { return }
        self.parser = nil
        self.request = nil
        stopListening(&connectionListeners)
        stopListening(&requestListeners)
        agent.forget(self)
        // The socket keeps the decoder's left-over bytes, and reads nothing more until the
        // listener that takes it over resumes it.
        socket.pauseUntilResumed()
        parser.remove(from: channel) {
            let head = self.socket.takeUnreadForHandover()
            // The new owner finds the FIN waiting, after the bytes that came before it.
            if self.heldEOF {
                self.heldEOF = false
                channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            }
            let event: Event<ClientRequest, (IncomingMessage, Socket, Buffer)> =
                request.method == "CONNECT" ? .connect : .upgrade
            // Done before the listener has the socket: a timeout it sets is its own to keep.
            request.completed()
            if request.listenerCount(event) > 0 {
                request.emit(event, (res, self.socket, head))
            } else {
                self.socket.destroy()
            }
        }
    }

    /// Whether to keep the server's FIN from the parser for now (see `heldEOF`).
    func holdsEOF() -> Bool {
        heldEOF = handingOver
        return heldEOF
    }

    /// A response's first byte; a client has no head timeout to start.
    func messageBegan() {}

    /// A chunk-size line of the response carried more extensions than Node allows.
    func chunkExtensionsOverflowed() {
        fail(.chunkExtensionsOverflow)
    }

    // MARK: Failing

    func fail(_ error: NodeError) {
        if let request {
            self.request = nil
            request.failed(error)
        }
        socket.destroy()
    }

    /// The server's FIN in the middle of a response (the parser's `HPE_INVALID_EOF_STATE`): no
    /// parse error, as Node's client ignores what `parser.finish()` says there. Before a head,
    /// the request gets Node's "socket hang up"; during a body, the close that follows cuts it.
    func endedMidMessage() {
        if response == nil, let request {
            self.request = nil
            request.failed(.socketHangUp)
        }
        socket.destroy()
    }

    /// The server's FIN: with no answer begun, Node's "socket hang up" at once (its `close`
    /// comes with the socket's); in every case the connection is done.
    private func serverEnded() {
        if response == nil, let request { request.serverHungUp() }
        socket.destroy()
    }

    private func closed() {
        if let response {
            self.response = nil
            // Node's order, from the request's `close` listener: the response's `aborted` and the
            // request's `close` at once, then the program's listeners on the socket added since
            // the request was assigned; the response's `error` and `close` a tick later.
            response.abortIfIncomplete()
            request?.connectionClosed(nil)
            process.nextTick { response.finishClosing() }
        } else if let request {
            request.connectionClosed(.socketHangUp)
        }
        request = nil
        agent.forget(self)
    }
}

/// A `1xx` answer other than `100 Continue` (`102 Processing`, `103 Early Hints`).
public struct InformationalResponse: Sendable {
    /// The status code.
    public let statusCode: Int
    /// The reason phrase.
    public let statusMessage: String
    /// The headers, names lower-cased.
    public let headers: [String: String]

    init(_ head: HTTPResponseHead) {
        statusCode = Int(head.status.code)
        statusMessage = head.status.reasonPhrase
        headers = IncomingHeaders.fold(head.headers.map { ($0.name, $0.value) }).headers
    }
}
