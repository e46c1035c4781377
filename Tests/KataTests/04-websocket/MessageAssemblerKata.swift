import Kata
import Testing

@Suite struct MessageAssemblerKata {
    /// A frame as a client sends it (masked; the decoder has already unmasked the payload).
    private func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true) -> WebSocketFrame {
        WebSocketFrame(fin: fin, opcode: opcode, masked: true, payload: payload)
    }

    private func frame(_ opcode: UInt8, _ text: String, fin: Bool = true) -> WebSocketFrame {
        frame(opcode, Array(text.utf8), fin: fin)
    }

    private func message(_ opcode: UInt8, _ text: String) -> WebSocketEvent? {
        .message(opcode: opcode, payload: Array(text.utf8))
    }

    private func control(_ opcode: UInt8, _ text: String) -> WebSocketEvent? {
        .control(opcode: opcode, payload: Array(text.utf8))
    }

    /// Pushes the frames in order; returns what each push returned, up to an error.
    private func push(_ frames: [WebSocketFrame]) -> (
        events: [WebSocketEvent?], error: WebSocketProtocolError?
    ) {
        var assembler = MessageAssembler()
        var events: [WebSocketEvent?] = []
        do {
            for frame in frames { events.append(try assembler.push(frame)) }
        } catch {
            return (events, error)
        }
        return (events, nil)
    }

    /// A payload as quoted text when it is plain ASCII, else as its bytes.
    private func show(_ payload: [UInt8]) -> String {
        payload.allSatisfy { (0x20..<0x7F).contains($0) }
            ? String(decoding: payload, as: UTF8.self).debugDescription : "\(payload)"
    }

    private func show(_ events: [WebSocketEvent?]) -> String {
        let shown = events.map { event -> String in
            switch event {
            case nil: "nil"
            case .message(let opcode, let payload)?: ".message(opcode: \(opcode), \(show(payload)))"
            case .control(let opcode, let payload)?: ".control(opcode: \(opcode), \(show(payload)))"
            }
        }
        return "[" + shown.joined(separator: ", ") + "]"
    }

    private func check(_ frames: [WebSocketFrame], _ expected: [WebSocketEvent?], _ situation: String) {
        let got = push(frames)
        let threw = got.error.map { " and then threw .\($0)" } ?? ""
        #expect(
            got.events == expected && got.error == nil,
            "\(situation): the pushes return \(show(expected)); yours returned \(show(got.events))\(threw)")
    }

    @Test func aMessageInOneFrameComesOutAtOnce() {
        check([frame(1, "Hello")], [message(1, "Hello")], "a text frame with FIN is a whole message")
        check(
            [frame(2, [0, 1, 2, 255])], [.message(opcode: 2, payload: [0, 1, 2, 255])],
            "a binary frame with FIN is a whole message")
    }

    @Test func theRFCsFragmentedHello() {
        check(
            [frame(1, "Hel", fin: false), frame(0, "lo")], [nil, message(1, "Hello")],
            "RFC 6455 §5.7: \"Hel\" (text, no FIN) then \"lo\" (continuation, FIN) make one message, \"Hello\""
        )
    }

    @Test func controlFramesCutInAndComeOutAtOnce() {
        check(
            [
                frame(1, "a", fin: false), frame(9, "ping?"), frame(0, "b", fin: false), frame(10, ""),
                frame(0, "c"), frame(8, [0x03, 0xE8]),
            ],
            [
                nil, control(9, "ping?"), nil, control(10, ""), message(1, "abc"),
                .control(opcode: 8, payload: [0x03, 0xE8]),
            ],
            "a text message in three frames with a ping and a pong between them, then a close: each control frame comes out when it arrives, and the message when its last frame does"
        )
    }

    @Test func aMessageKeepsItsFirstFramesOpcode() {
        check(
            [
                frame(2, [0], fin: false), frame(0, [], fin: false), frame(0, [1, 2], fin: false),
                frame(0, [3]),
            ],
            [nil, nil, nil, .message(opcode: 2, payload: [0, 1, 2, 3])],
            "binary [0], then continuations [], [1, 2] and [3] with FIN: one binary message [0, 1, 2, 3]")
        check(
            [frame(1, "x", fin: false), frame(0, "")], [nil, message(1, "x")],
            "the last continuation may be empty: \"x\", then an empty continuation with FIN, is \"x\"")
    }

    @Test func messagesFollowOneAnother() {
        check(
            [frame(1, "one"), frame(1, "tw", fin: false), frame(0, "o"), frame(2, "3")],
            [message(1, "one"), nil, message(1, "two"), message(2, "3")],
            "\"one\", then \"two\" in two frames, then a binary message: each starts afresh")
    }

    @Test func aContinuationWithoutAStartIsAProtocolError() {
        for (frames, situation) in [
            ([frame(0, "x")], "a continuation frame first"),
            ([frame(1, "a"), frame(0, "b")], "a continuation after a message that had ended"),
        ] {
            let got = push(frames)
            #expect(
                got.error == .continuationWithoutStart,
                "\(situation): no message is under way, so throw .continuationWithoutStart (close code \(WebSocketProtocolError.continuationWithoutStart.closeCode)); your pushes returned \(show(got.events))\(got.error.map { " and threw .\($0)" } ?? "")"
            )
        }
    }

    @Test func aNewMessageBeforeTheLastEndedIsAProtocolError() {
        for (frames, situation) in [
            ([frame(1, "a", fin: false), frame(1, "b")], "a text frame while a text message is under way"),
            (
                [frame(2, [1], fin: false), frame(9, "ping?"), frame(1, "b", fin: false)],
                "a text frame while a binary message is under way (a ping between them changes nothing)"
            ),
        ] {
            let got = push(frames)
            #expect(
                got.error == .unfinishedMessage,
                "\(situation): throw .unfinishedMessage (close code \(WebSocketProtocolError.unfinishedMessage.closeCode)); your pushes returned \(show(got.events))\(got.error.map { " and threw .\($0)" } ?? "")"
            )
        }
    }
}
