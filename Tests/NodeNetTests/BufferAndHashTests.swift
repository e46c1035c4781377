import Testing

@testable import NodeNet

@Suite struct BufferAndHashTests {
    @Test func buffersHoldUTF8AndShowLikeNode() {
        let buffer: Buffer = "你好"
        #expect(buffer.count == 6)
        #expect(buffer.description == "<Buffer e4 bd a0 e5 a5 bd>")
        #expect(buffer.toString() == "你好")
        #expect(buffer.toString(.hex) == "e4bda0e5a5bd")
        #expect(Buffer.from("hello").toString(.base64) == "aGVsbG8=")
        #expect(Buffer.concat(["ab", "cd"]).toString() == "abcd")
        #expect(Buffer("abcdef").subarray(2, 4).toString() == "cd")
    }

    @Test func allocFillsEveryByte() {
        #expect(Buffer.alloc(4).bytes == [0, 0, 0, 0])
        #expect(Buffer.alloc(3, fill: 0x61).toString() == "aaa")
        #expect(Buffer.alloc(0).count == 0)
        let large = Buffer.alloc(1 << 20, fill: 7)
        #expect(large.count == 1 << 20 && large.bytes.allSatisfy { $0 == 7 })
    }

    @Test func hashesMatchKnownDigests() throws {
        #expect(
            try crypto.createHash("sha1").update("abc").digest(.hex)
                == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(try crypto.createHash("md5").update("").digest(.hex) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(
            try crypto.createHash("sha256").update("ab").update("c").digest(.hex)
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        // The WebSocket handshake of chapter 4 rests on this: RFC 6455's sample key.
        let key = "dGhlIHNhbXBsZSBub25jZQ==" + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
        #expect(try crypto.createHash("sha1").update(key).digest(.base64) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    /// Chapter 5's erratum: sha1 and md5 digest, they do not encrypt. Whatever goes in, the same
    /// number of bytes comes out (20 for sha1, 16 for md5), with no key, so a megabyte cannot be
    /// got back from its 20 bytes; the same input always gives the same digest, and one changed
    /// byte gives another.
    @Test func sha1AndMD5AreFixedLengthHashesNotCiphers() throws {
        let megabyte = Buffer.alloc(1 << 20, fill: 0x61)
        var changed = megabyte.bytes
        changed[512 * 1024] = 0x62
        for (algorithm, length) in [("sha1", 20), ("md5", 16)] {
            func digest(_ data: Buffer) throws -> Buffer {
                try crypto.createHash(algorithm).update(data).digest()
            }
            for input in [Buffer.alloc(0), Buffer.from("abc"), megabyte] {
                #expect(try digest(input).count == length, "\(algorithm) of \(input.count) bytes")
            }
            #expect(try digest(megabyte) == digest(megabyte))
            #expect(try digest(megabyte) != digest(Buffer(changed)))
        }
    }

    @Test func unknownDigestsAreRefusedLikeNode() {
        #expect(throws: NodeError(code: "ERR_OSSL_EVP_UNSUPPORTED", message: "Digest method not supported")) {
            try crypto.createHash("sha0-nope")
        }
    }

    @Test func randomBytesHaveTheAskedLength() {
        #expect(crypto.randomBytes(16).count == 16)
        #expect(crypto.randomBytes(16) != crypto.randomBytes(16))
    }

    @Test func setEncodingKeepsCharactersWhole() {
        var boundary = UTF8ChunkBoundary()
        let bytes = Buffer("你好").bytes
        let first = boundary.wholeCharacters(of: Buffer(bytes[0..<4]))
        let second = boundary.wholeCharacters(of: Buffer(bytes[4...]))
        #expect(first.toString() == "你")
        #expect(second.toString() == "好")
    }

    @Test func allocOfANegativeSizeStopsWithNodesWords() async {
        // Node 20: RangeError ERR_OUT_OF_RANGE, the same message (checked with node).
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Buffer.alloc(-1)
        }
        let printed = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(
            printed.contains(
                "The value of \"size\" is out of range. It must be >= 0 && <= 4294967296. Received -1"),
            "\(printed)")
    }

    @Test func allocPastMaxLengthStopsWithNodesWordsBeforeAllocating() async {
        #expect(Buffer.maxLength == 4_294_967_296)
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Buffer.alloc(Buffer.maxLength + 1)
        }
        let printed = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        // Node 20 groups the digits of a number past 2³² (checked with node).
        #expect(printed.contains("It must be >= 0 && <= 4294967296. Received 4_294_967_297"), "\(printed)")
    }
}
