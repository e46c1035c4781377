/// One whole WebSocket message: text (valid UTF-8, checked) or binary.
public enum WebSocketMessage: Sendable, Hashable {
    /// A text message (opcode 1).
    case text(String)
    /// A binary message (opcode 2).
    case binary(Buffer)

    /// The text of a text message; nil for a binary one.
    public var text: String? {
        if case .text(let text) = self { text } else { nil }
    }

    /// The message's bytes (a text message's UTF-8).
    public var bytes: Buffer {
        switch self {
        case .text(let text): Buffer(text)
        case .binary(let bytes): bytes
        }
    }
}

/// What a browser's `onmessage` receives: the message as `data`.
public struct MessageEvent: Sendable {
    /// The message.
    public let data: WebSocketMessage
}

/// What `close` carries, as a browser's `CloseEvent` does.
public struct CloseEvent: Sendable, Equatable {
    /// The peer's close code; 1005 if its close frame had none, 1006 if the connection ended
    /// without a close frame (those two are never sent on the wire).
    public let code: Int
    /// The peer's reason, possibly empty.
    public let reason: String
    /// Whether both close frames were exchanged before the TCP connection closed.
    public let wasClean: Bool

    /// A close event with these values.
    public init(code: Int, reason: String, wasClean: Bool) {
        self.code = code
        self.reason = reason
        self.wasClean = wasClean
    }
}

/// A WebSocket's state, numbered as in the browser (`WebSocket.OPEN == 1`).
public enum ReadyState: Int, Sendable, CustomStringConvertible {
    /// The handshake is under way (client side).
    case connecting = 0
    /// Messages can be sent and received.
    case open = 1
    /// A close frame was sent or received; waiting for the other.
    case closing = 2
    /// The TCP connection is closed.
    case closed = 3

    /// `OPEN`, `CLOSING`, …, as error messages name the state.
    public var description: String {
        switch self {
        case .connecting: "CONNECTING"
        case .open: "OPEN"
        case .closing: "CLOSING"
        case .closed: "CLOSED"
        }
    }
}

extension Event where Emitter: WebSocket, Payload == Void {
    /// The handshake succeeded (client side; a server's connections are open when it gets them).
    public static var open: Self { Self("open") }
}

extension Event where Emitter: WebSocket, Payload == WebSocketMessage {
    /// A whole message arrived, however many frames it came in.
    public static var message: Self { Self("message") }
}

extension Event where Emitter: WebSocket, Payload == CloseEvent {
    /// The connection is closed, cleanly or not.
    public static var close: Self { Self("close") }
}

extension Event where Emitter: WebSocket, Payload == NodeError {
    /// The handshake failed, or the peer broke the protocol (`WS_ERR_…`, with the close code we
    /// sent), or the socket failed. `close` follows. Nobody listening: nothing happens, as in a
    /// browser; only misuse (`send` before `open`) is an uncaught error.
    public static var error: Self { Self("error") }
}

extension Event where Emitter: WebSocket, Payload == Buffer {
    /// A ping arrived (a pong with the same bytes has already been sent).
    public static var ping: Self { Self("ping") }
    /// A pong arrived.
    public static var pong: Self { Self("pong") }
}

extension Event where Emitter: WebSocket, Payload == WebSocketFrameInfo {
    /// A frame arrived, before reassembly: for inspectors (like a browser's Frames tab).
    public static var frameReceived: Self { Self("frameReceived") }
    /// A frame was handed to the socket.
    public static var frameSent: Self { Self("frameSent") }
}
