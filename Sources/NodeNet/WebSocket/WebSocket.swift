import NIOCore
import NIOWebSocket

/// One WebSocket connection, either end: a server gets one per accepted handshake, a program
/// opens one with `WebSocket("ws://host:port/path")`.
///
/// Two shapes, one object. The browser's, as in the book's client: `onopen`, `onmessage`,
/// `onclose`, `onerror`, `send`, `close(code, reason)`, `bufferedAmount`, `readyState`. And
/// Node's event emitter: `open`, `message`, `ping`, `pong`, `close`, `error`.
@NodeActor public final class WebSocket: EventEmitter {
    /// The URL this client connected to; a server-side connection's request path.
    public let url: String
    /// Whether this is the server's end of the connection (it does not mask its frames).
    public let isServer: Bool
    /// The connection's state.
    public private(set) var readyState: ReadyState
    /// The subprotocol the server chose from the client's `Sec-WebSocket-Protocol`; "" if none.
    public private(set) var `protocol` = ""
    /// The limits this connection enforces.
    public let options: WebSocketOptions

    /// Called when the handshake has succeeded (client side), like a browser's `onopen`.
    public var onopen: (@NodeActor () -> Void)?
    /// Called with each whole message, like a browser's `onmessage`.
    public var onmessage: (@NodeActor (MessageEvent) -> Void)?
    /// Called once the connection is closed, like a browser's `onclose`.
    public var onclose: (@NodeActor (CloseEvent) -> Void)?
    /// Called when the connection fails, like a browser's `onerror`.
    public var onerror: (@NodeActor (NodeError) -> Void)?

    private(set) var socket: Socket?
    private var closeFrameSent = false
    private var closeFrameReceived = false
    private var failed = false
    private var closeCode = 1006
    private var closeReason = ""
    private var closeTimer: Timeout?
    /// The handshake request of a client still connecting.
    var pendingRequest: ClientRequest?

    init(url: String, isServer: Bool, options: WebSocketOptions) {
        self.url = url
        self.isServer = isServer
        self.options = options
        readyState = isServer ? .open : .connecting
        super.init()
    }

    /// What `NODENET_TRACE` prints: which end this is.
    public override var traceLabel: String { "WebSocket\(isServer ? "(server)" : "")#\(handleID)" }

    /// Bytes handed to `send` (and control frames) that the kernel has not taken yet. The book's
    /// client sends only when this is 0, so a slow connection is never flooded.
    public var bufferedAmount: Int { socket?.writableLength ?? 0 }

    // MARK: Taking over the socket

    /// Takes over `socket` after a successful handshake; `head` holds bytes that came after it.
    func attach(_ socket: Socket, head: Buffer, protocol chosen: String) {
        self.socket = socket
        self.protocol = chosen
        // The socket holds its owner until `close`, which frees the WebSocket with it.
        socket.handOver(to: self)
        guard let channel = socket.channel else { return socket.destroy() }
        do {
            try FrameHandlers.install(for: self, on: socket, options: options, in: channel)
        } catch {
            return socket.destroy(NodeError(error, syscall: "upgrade"))
        }
        readyState = .open
        pendingRequest = nil
        // Frames that came with the handshake wait until the program has added its listeners.
        afterIOBatch {
            if !head.isEmpty { FrameHandlers.replay(head.storage, in: channel) }
            socket.resume()
            // The peer may have sent its FIN with the handshake, before we listened for `end`.
            if socket.readableEnded { socket.end() }
        }
    }

    /// The handshake failed (client side): `error`, then `close` with 1006.
    func handshakeFailed(_ error: NodeError) {
        guard readyState == .connecting else { return }
        readyState = .closed
        pendingRequest?.destroy()
        pendingRequest = nil
        report(error)
        emitClose()
    }

    // MARK: Sending

    /// Sends a text message. `callback` runs once the kernel has the frame, or with the error.
    public func send(_ text: String, _ callback: (@NodeActor (NodeError?) -> Void)? = nil) {
        send(.text(text), callback)
    }

    /// Sends a binary message.
    public func send(_ data: Buffer, _ callback: (@NodeActor (NodeError?) -> Void)? = nil) {
        send(.binary(data), callback)
    }

    /// Sends `message` as one frame.
    public func send(_ message: WebSocketMessage, _ callback: (@NodeActor (NodeError?) -> Void)? = nil) {
        guard readyState == .open else {
            let error = NodeError(
                code: .wsNotOpen,
                message: "WebSocket is not open: readyState \(readyState.rawValue) (\(readyState))")
            // Before `open` it is a mistake in the program, as `ws` and browsers treat it;
            // after `close` a message may simply come too late.
            if let callback {
                afterIOBatch { callback(error) }
            } else if readyState == .connecting {
                afterIOBatch { self.emit(.error, error) }
            }
            return
        }
        switch message {
        case .text(let text): write(opcode: .text, Buffer(text), callback)
        case .binary(let bytes): write(opcode: .binary, bytes, callback)
        }
    }

    /// Sends a ping; the peer answers with a pong carrying the same bytes (at most 125).
    public func ping(_ data: Buffer = Buffer([UInt8]())) {
        guard readyState == .open, data.count <= 125 else { return }
        write(opcode: .ping, data)
    }

    /// Sends an unsolicited pong (a heartbeat that needs no answer).
    public func pong(_ data: Buffer = Buffer([UInt8]())) {
        guard readyState == .open, data.count <= 125 else { return }
        write(opcode: .pong, data)
    }

    private func write(
        opcode: WebSocketOpcode, _ payload: Buffer, _ callback: (@NodeActor (NodeError?) -> Void)? = nil
    ) {
        guard let socket else { return }
        // Clients mask every frame with a fresh key, so that no proxy can be fooled into caching
        // what a script wrote (RFC 6455 §10.3).
        let frame = WebSocketFrame(
            fin: true, opcode: opcode, maskKey: isServer ? nil : .random(), data: payload.storage)
        if listenerCount(.frameSent) > 0 {
            emit(.frameSent, WebSocketFrameInfo(sending: frame))
        }
        socket.write(OutboundMessage(frame, count: payload.count), callback)
    }

    // MARK: Receiving

    func inspect(received frame: WebSocketFrame) {
        if listenerCount(.frameReceived) > 0 {
            emit(.frameReceived, WebSocketFrameInfo(received: frame))
        }
    }

    func received(_ frame: WebSocketFrame) {
        guard !failed, !closeFrameReceived else { return }
        let payload = frame.unmaskedData
        switch frame.opcode {
        case .text:
            guard let text = UTF8Validator.text(payload.readableBytesView) else {
                return fail(.invalidUTF8)
            }
            deliver(.text(text))
        case .binary:
            deliver(.binary(Buffer(payload)))
        case .ping:
            // Answered at once, as every WebSocket library does; then reported.
            if readyState == .open { write(opcode: .pong, Buffer(payload)) }
            // A peer that pings and never reads its pongs would have them queue without end (ws
            // lets them). As Node's HTTP server does with pipelined answers, reading stops once a
            // high-water mark's worth waits, until the socket drains; its pings back up in TCP.
            if let socket, socket.writableLength >= socket.writableHighWaterMark {
                socket.setReadingStopped(true, for: .answersBackedUp)
            }
            emit(.ping, Buffer(payload))
        case .pong:
            emit(.pong, Buffer(payload))
        case .connectionClose:
            receivedClose(payload)
        default:
            break  // The rules in front of us let no other opcode through.
        }
    }

    private func deliver(_ message: WebSocketMessage) {
        emit(.message, message)
        onmessage?(MessageEvent(data: message))
    }

    private func receivedClose(_ payload: ByteBuffer) {
        var payload = payload
        var code = 1005
        var reason = ""
        if payload.readableBytes == 1 {
            return fail(
                ProtocolViolation(
                    1002, .wsInvalidControlPayloadLength,
                    "Invalid WebSocket frame: invalid payload length 1"))
        }
        if let value = payload.readInteger(as: UInt16.self) {
            code = Int(value)
            guard CloseCode.isValid(code) else {
                return fail(
                    ProtocolViolation(
                        1002, .wsInvalidCloseCode,
                        "Invalid WebSocket frame: invalid status code \(code)"))
            }
            guard let text = UTF8Validator.text(payload.readableBytesView) else {
                return fail(.invalidUTF8)
            }
            reason = text
        }
        closeFrameReceived = true
        closeCode = code
        closeReason = reason
        if closeFrameSent {
            socket?.end()
        } else {
            // Answer with the same code and reason, as `ws` does; none if the peer gave none.
            sendClose(code == 1005 ? nil : code, reason)
        }
    }

    // MARK: Closing

    /// Starts the closing handshake: sends a close frame with `code` (1000, 3000–4999, or another
    /// code meant for the wire) and `reason` (at most 123 bytes of UTF-8), then waits for the
    /// peer's. Without a code the frame is empty, and the peer sees 1005. Closing before `open`
    /// abandons the handshake.
    public func close(_ code: Int? = nil, _ reason: String = "") throws {
        if let code, !CloseCode.isValid(code) {
            throw NodeError(
                code: .invalidArgValue,
                message: "First argument must be a valid error code number, got \(code)")
        }
        if reason.utf8.count > 123 {
            throw NodeError(
                code: .invalidArgValue, message: "The close reason must not exceed 123 bytes")
        }
        switch readyState {
        case .connecting:
            handshakeFailed(
                NodeError(
                    code: .wsClosedBeforeOpen,
                    message: "WebSocket was closed before the connection was established"))
        case .open:
            sendClose(code, reason)
        case .closing, .closed:
            break
        }
    }

    /// Closes the TCP connection at once, without a closing handshake (`ws`'s `terminate`).
    public func terminate() {
        socket?.destroy()
    }

    private func sendClose(_ code: Int?, _ reason: String) {
        guard !closeFrameSent, let socket else { return }
        closeFrameSent = true
        readyState = .closing
        var payload = Buffer([UInt8]())
        if let code {
            payload = Buffer.concat([Buffer([UInt8(code >> 8), UInt8(code & 0xFF)]), Buffer(reason)])
        }
        write(opcode: .connectionClose, payload)
        // Whoever has both close frames ends the TCP connection; the peer's FIN then closes it.
        if closeFrameReceived { socket.end() }
        closeTimer = setTimeout(options.closeTimeout) { [weak self] in self?.socket?.destroy() }.unref()
    }

    /// The peer broke the protocol: tell it why with a close frame, and end the connection
    /// without waiting for its answer (RFC 6455 §7.1.7, "Fail the WebSocket Connection").
    func fail(_ violation: ProtocolViolation) {
        guard !failed else { return }
        failed = true
        report(violation.error)
        sendClose(violation.closeCode, "")
        socket?.end()
    }

    private func report(_ error: NodeError) {
        // Browser-style: a failure nobody listens for is not fatal to the program.
        if listenerCount(.error) > 0 { emit(.error, error) }
        onerror?(error)
    }

    func socketClosed() {
        guard readyState != .closed else { return }
        readyState = .closed
        closeTimer?.close()
        closeTimer = nil
        emitClose()
    }

    private func emitClose() {
        let event = CloseEvent(
            code: closeCode, reason: closeReason, wasClean: closeFrameSent && closeFrameReceived)
        emit(.close, event)
        onclose?(event)
        // The browser-style handlers capture the socket as often as listeners do.
        (onopen, onmessage, onerror, onclose) = (nil, nil, nil, nil)
        releaseListeners()
    }
}

extension WebSocket: SocketOwner {
    func socketFailed(_ error: NodeError) { report(error) }

    func socketDrained() { socket?.setReadingStopped(false, for: .answersBackedUp) }

    /// The peer's FIN without a close frame: nothing more will come; our side ends too.
    func socketEnded() { socket?.end() }
}
