import NIOWebSocket

/// What SwiftNIO's decoder lets through but RFC 6455 forbids without extensions: reserved bits,
/// reserved opcodes, and masking the wrong way round (clients must mask, servers must not).
struct FrameRules {
    /// Whether the frames come from a client (this is the server's end), so must be masked.
    let fromClient: Bool

    /// The rule `frame` breaks, if any, with the error `ws` reports for it.
    func violation(in frame: WebSocketFrame) -> ProtocolViolation? {
        let invalid = { (code: NodeError.Code, what: String) in
            ProtocolViolation(1002, code, "Invalid WebSocket frame: \(what)")
        }
        if frame.rsv1 { return invalid(.wsUnexpectedRSV1, "RSV1 must be clear") }
        if frame.rsv2 { return invalid(.wsUnexpectedRSV23, "RSV2 and RSV3 must be clear") }
        if frame.rsv3 { return invalid(.wsUnexpectedRSV23, "RSV2 and RSV3 must be clear") }
        let opcode = UInt8(webSocketOpcode: frame.opcode)
        if !(0...2).contains(opcode) && !(8...10).contains(opcode) {
            return invalid(.wsInvalidOpcode, "invalid opcode \(opcode)")
        }
        if fromClient && frame.maskKey == nil { return invalid(.wsExpectedMask, "MASK must be set") }
        if !fromClient && frame.maskKey != nil {
            return invalid(.wsUnexpectedMask, "MASK must be clear")
        }
        return nil
    }
}
