import Kata
import Testing

@Suite struct FrameDecoderKata {
    static let key: [UInt8] = [0x37, 0xfa, 0x21, 0x3d]
    static let otherKey: [UInt8] = [9, 8, 7, 6]
    static let hundred26 = (0..<126).map { UInt8($0) }
    static let three100 = (0..<300).map { UInt8(truncatingIfNeeded: $0 * 3) }

    /// RFC 6455 §5.7's frames, then others in every length form that fits a few hundred bytes:
    /// the bytes on the wire, and the frames they hold.
    static let stream: [UInt8] = Array(
        ([
            [0x81, 0x05] + Array("Hello".utf8),
            [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58],
            [0x01, 0x03, 0x48, 0x65, 0x6c],
            [0x80, 0x02, 0x6c, 0x6f],
            [0x89, 0x85] + key + xor(Array("Hello".utf8), key),
            [0x82, 0x7E, 0x00, 0x7E] + hundred26,
            [0x82, 0xFE, 0x01, 0x2C] + otherKey + xor(three100, otherKey),
            [0x8A, 0x00],
            [0x88, 0x82] + otherKey + xor([0x03, 0xE8], otherKey),
        ] as [[UInt8]]).joined())
    static let frames = [
        WebSocketFrame(fin: true, opcode: 1, masked: false, payload: Array("Hello".utf8)),
        WebSocketFrame(fin: true, opcode: 1, masked: true, payload: Array("Hello".utf8)),
        WebSocketFrame(fin: false, opcode: 1, masked: false, payload: Array("Hel".utf8)),
        WebSocketFrame(fin: true, opcode: 0, masked: false, payload: Array("lo".utf8)),
        WebSocketFrame(fin: true, opcode: 9, masked: true, payload: Array("Hello".utf8)),
        WebSocketFrame(fin: true, opcode: 2, masked: false, payload: hundred26),
        WebSocketFrame(fin: true, opcode: 2, masked: true, payload: three100),
        WebSocketFrame(fin: true, opcode: 10, masked: false, payload: []),
        WebSocketFrame(fin: true, opcode: 8, masked: true, payload: [0x03, 0xE8]),
    ]

    /// Masks the way a client does (the tests' own copy, so that they do not depend on yours).
    static func xor(_ payload: [UInt8], _ key: [UInt8]) -> [UInt8] {
        payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
    }

    private func decode(_ pieces: [[UInt8]]) -> [WebSocketFrame] {
        var decoder = WebSocketFrameDecoder()
        return pieces.flatMap { decoder.push($0) }
    }

    private func describe(_ frame: WebSocketFrame) -> String {
        let payload =
            frame.payload.count <= 8
            ? (frame.payload.isEmpty ? "no payload" : "payload \(frame.payload)")
            : "\(frame.payload.count) bytes of payload"
        return "(fin \(frame.fin), opcode \(frame.opcode), masked \(frame.masked), \(payload))"
    }

    /// What is wrong with `got`, in a line, or nil when it is `expected`.
    private func difference(_ got: [WebSocketFrame], _ expected: [WebSocketFrame]) -> String? {
        guard got != expected else { return nil }
        for (index, (mine, theirs)) in zip(got, expected).enumerated() where mine != theirs {
            let unmasked = mine.masked && mine.payload == Self.xor(theirs.payload, Self.key)
            return
                "frame \(index + 1) of \(expected.count) must be \(describe(theirs)); yours is \(describe(mine))"
                + (unmasked
                    ? " (its payload is still masked)" : payloadDifference(mine.payload, theirs.payload))
        }
        return got.count < expected.count
            ? "\(expected.count) frames went in and only \(got.count) came out; the next one is \(describe(expected[got.count]))"
            : "\(expected.count) frames went in and \(got.count) came out"
    }

    /// Where two payloads of the same length first differ, when the frames' summaries would not
    /// show it.
    private func payloadDifference(_ mine: [UInt8], _ theirs: [UInt8]) -> String {
        guard mine.count == theirs.count, mine.count > 8,
            let index = mine.indices.first(where: { mine[$0] != theirs[$0] })
        else { return "" }
        let wrong = zip(mine, theirs).filter { $0 != $1 }.count
        return
            ": the payloads first differ at byte \(index), \(mine[index]) instead of \(theirs[index]) (\(wrong) of \(mine.count) bytes differ)"
    }

    /// Decodes the pieces of each case; expects `expected` from every one, and reports how many
    /// went wrong and the first, in one line.
    private func expectSameFrames(
        _ cases: [(label: String, pieces: [[UInt8]])], _ expected: [WebSocketFrame], _ what: String
    ) {
        let wrong = cases.compactMap { label, pieces in
            difference(decode(pieces), expected).map { "\(label): \($0)" }
        }
        // The count alone in the expression, so that the failure shows one line, not every case.
        let wrongCases = wrong.count
        #expect(
            wrongCases == 0,
            "\(what), the same frames must come out; \(wrong.count) of \(cases.count) went wrong, first \(wrong.first ?? "")"
        )
    }

    /// Cuts `bytes` into pieces of 1 to `largest` bytes, the same pieces every run.
    private func randomPieces(_ bytes: [UInt8], seed: UInt64, largest: Int) -> [[UInt8]] {
        var generator = SplitMix64(state: seed)
        var pieces: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...largest, using: &generator))
            pieces.append(Array(bytes[start..<end]))
            start = end
        }
        return pieces
    }

    @Test func aWholeStreamInOnePush() {
        let got = decode([Self.stream])
        #expect(difference(got, Self.frames) == nil, "all in one push: \(difference(got, Self.frames) ?? "")")
    }

    @Test func nothingComesOutUntilAFrameIsWhole() {
        var decoder = WebSocketFrameDecoder()
        let early = decoder.push([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c])
        #expect(
            early.map(describe) == [],
            "81 05 announces 5 bytes and only 4 came, so no frame yet; you returned \(early.map(describe))")
        let hello = decoder.push([0x6f, 0x81])
        #expect(
            hello.map(describe) == [
                describe(WebSocketFrame(fin: true, opcode: 1, masked: false, payload: Array("Hello".utf8)))
            ],
            "the 5th byte completes \"Hello\", and 81 waits for the rest of the next frame; you returned \(hello.map(describe))"
        )
        let world = decoder.push([0x05] + Array("World".utf8))
        #expect(
            world.map(describe) == [
                describe(WebSocketFrame(fin: true, opcode: 1, masked: false, payload: Array("World".utf8)))
            ],
            "the kept 81, then 05 \"World\", make the next frame; you returned \(world.map(describe))")
    }

    @Test func everySplitPointGivesTheSameFrames() {
        let cuts = (1..<Self.stream.count).map { cut in
            (
                label: "cut after byte \(cut)",
                pieces: [Array(Self.stream[..<cut]), Array(Self.stream[cut...])]
            )
        }
        expectSameFrames(cuts, Self.frames, "cut anywhere")
    }

    @Test func oneByteAtATime() {
        let got = decode(Self.stream.map { [$0] })
        #expect(
            difference(got, Self.frames) == nil, "one byte per push: \(difference(got, Self.frames) ?? "")")
    }

    @Test func randomPiecesGiveTheSameFrames() {
        let cases = (1...20 as ClosedRange<UInt64>).map { seed in
            (label: "seed \(seed)", pieces: randomPieces(Self.stream, seed: seed, largest: 40))
        }
        expectSameFrames(cases, Self.frames, "in pieces of 1 to 40 bytes")
    }

    @Test func theLongestLengthForms() {
        let big = (0..<65536).map { UInt8(truncatingIfNeeded: $0 * 7 + $0 / 256) }
        let bigger = (0..<70000).map { UInt8(truncatingIfNeeded: $0 * 13) }
        let largest16 = Array(bigger.prefix(65535))
        let stream: [UInt8] = Array(
            ([
                [0x81, 0xFD] + Self.key + Self.xor(Array(big.prefix(125)), Self.key),
                [0x82, 0x7E, 0xFF, 0xFF] + largest16,
                [0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0] + Self.key + Self.xor(big, Self.key),
                [0x02, 0x7F, 0, 0, 0, 0, 0, 1, 0x11, 0x70] + bigger,
            ] as [[UInt8]]).joined())
        let expected = [
            WebSocketFrame(fin: true, opcode: 1, masked: true, payload: Array(big.prefix(125))),
            WebSocketFrame(fin: true, opcode: 2, masked: false, payload: largest16),
            WebSocketFrame(fin: true, opcode: 2, masked: true, payload: big),
            WebSocketFrame(fin: false, opcode: 2, masked: false, payload: bigger),
        ]
        let whole = decode([stream])
        #expect(
            difference(whole, expected) == nil,
            "125 bytes, 65535 bytes (16-bit length), 65536 and 70000 bytes (64-bit length), in one push: \(difference(whole, expected) ?? "")"
        )
        // Cut inside the 64-bit frame's header, wherever that falls.
        let header64 = 2 + 4 + 125 + 4 + 65535
        let cuts = ((header64 + 1)..<(header64 + 14)).map { cut in
            (
                label: "cut after byte \(cut - header64)",
                pieces: [Array(stream[..<cut]), Array(stream[cut...])]
            )
        }
        expectSameFrames(cuts, expected, "cut inside the 14-byte header 82 ff 00 00 00 00 00 01 00 00 + key")
        let pieces = decode(randomPieces(stream, seed: 2024, largest: 8192))
        #expect(
            difference(pieces, expected) == nil,
            "the same frames in pieces of 1 to 8192 bytes: \(difference(pieces, expected) ?? "")")
    }

    @Test func aLengthCountsAllEightBytes() {
        var small = WebSocketFrameDecoder()
        let abc = small.push([0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 3] + Array("abc".utf8))
        #expect(
            abc.map(describe) == [
                describe(WebSocketFrame(fin: true, opcode: 2, masked: false, payload: Array("abc".utf8)))
            ],
            "82 7f 00 00 00 00 00 00 00 03 \"abc\" is a binary frame of 3 bytes, its length in the 64-bit form; you returned \(abc.map(describe))"
        )
        var huge = WebSocketFrameDecoder()
        let got = huge.push([0x82, 0x7F, 0, 0, 0, 1, 0, 0, 0, 0] + Array(repeating: 0x41, count: 10))
        #expect(
            got.map(describe) == [],
            "82 7f 00 00 00 01 00 00 00 00 announces 4294967296 bytes (2^32: the high 4 bytes of the 64-bit length count too), so 10 bytes later no frame is complete; you returned \(got.map(describe))"
        )
    }

    @Test func theOpcodeIsTheLowFourBits() {
        let got = decode([[0xC1, 0x02, 0x68, 0x69, 0xB2, 0x00]])
        let expected = [
            WebSocketFrame(fin: true, opcode: 1, masked: false, payload: Array("hi".utf8)),
            WebSocketFrame(fin: true, opcode: 2, masked: false, payload: []),
        ]
        #expect(
            difference(got, expected) == nil,
            "c1 is FIN (80) + RSV1 (40) + opcode 1, and b2 is FIN + RSV2 (20) + RSV3 (10) + opcode 2: the opcode is the low 4 bits (& 0x0F), the RSV bits are not part of it: \(difference(got, expected) ?? "")"
        )
    }
}

/// A small random number generator with a seed, so that "random" pieces are the same every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
