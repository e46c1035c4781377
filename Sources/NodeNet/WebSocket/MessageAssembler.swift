import NIOCore
import NIOWebSocket

/// Joins a fragmented message into one frame, and holds a peer that fragments to exhaust us to
/// the connection's limits. Whole messages and control frames (which may come between
/// fragments) pass at once.
///
/// The bytes of each fragment are copied into one buffer as it arrives, so what a message costs
/// is its bytes alone: an empty fragment costs nothing (as in `ws`, which skips them), yet it
/// still counts towards `maxFragments`, or a peer could send them for ever. Text is checked as
/// it comes: invalid UTF-8 ends the connection in the fragment that holds it.
struct MessageAssembler {
    private let maxPayload: Int
    private let maxFragments: Int
    /// The message being assembled: its opcode, bytes so far, and fragments so far.
    private var opcode: WebSocketOpcode?
    private var bytes = ByteBuffer()
    private var fragments = 0
    private var text = UTF8Validator()

    init(maxPayload: Int, maxFragments: Int) {
        self.maxPayload = maxPayload
        self.maxFragments = maxFragments
    }

    /// What to deliver now that `frame` has come: the frame itself if it is whole (or a control
    /// frame), the joined message at its last fragment, or nil while the message is in pieces.
    mutating func take(_ frame: WebSocketFrame) throws(ProtocolViolation) -> WebSocketFrame? {
        do throws(ProtocolViolation) {
            switch frame.opcode {
            case .text, .binary:
                guard opcode == nil else { throw ProtocolViolation.unfinishedMessage(frame.opcode) }
                // The common case, a message in one frame, passes untouched.
                guard !frame.fin else { return frame }
                opcode = frame.opcode
                try add(frame)
                return nil
            case .continuation:
                guard let opcode else { throw ProtocolViolation.unfinishedMessage(.continuation) }
                try add(frame)
                guard frame.fin else { return nil }
                let message = WebSocketFrame(fin: true, opcode: opcode, data: bytes)
                reset()
                return message
            default:
                return frame
            }
        } catch {
            reset()
            throw error
        }
    }

    private mutating func add(_ frame: WebSocketFrame) throws(ProtocolViolation) {
        fragments += 1
        guard fragments <= maxFragments else { throw .tooManyFragments(maxFragments) }
        guard bytes.readableBytes + frame.length <= maxPayload else { throw .tooBig }
        if frame.length > 0 {
            var payload = frame.unmaskedData
            if opcode == .text, !text.feed(payload.readableBytesView) { throw .invalidUTF8 }
            bytes.writeBuffer(&payload)
        }
        if frame.fin && opcode == .text && !text.isComplete { throw .invalidUTF8 }
    }

    private mutating func reset() {
        opcode = nil
        // The next message starts from an empty buffer: a big one is not kept for the connection.
        bytes = ByteBuffer()
        fragments = 0
        text = UTF8Validator()
    }
}
