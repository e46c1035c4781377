import Kata
import Testing

@Suite struct ChunkedDecoderKata {
    /// "hello, chunked world" in three chunks (one with an extension, one size in lower-case hex),
    /// a trailer, then the next pipelined request.
    static let body = "5\r\nhello\r\n1;note=\"x\"\r\n,\r\ne\r\n chunked world\r\n0\r\nX-Checksum: 42\r\n\r\n"
    static let next = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"

    private struct Outcome {
        var data: [UInt8] = []
        var done = false
        var leftover: [UInt8] = []
        var error: ChunkedBodyError?
        var trailers: [String: String] = [:]

        var summary: String {
            if let error { return "the error .\(error)" }
            return
                "data \(String(decoding: data, as: UTF8.self).debugDescription), done \(done), leftover \(String(decoding: leftover, as: UTF8.self).debugDescription)"
        }
    }

    /// Pushes every chunk and adds up what came out, stopping at an error.
    private func feed(_ chunks: [[UInt8]], maxChunkSize: Int? = nil) -> Outcome {
        var decoder = maxChunkSize.map { ChunkedBodyDecoder(maxChunkSize: $0) } ?? ChunkedBodyDecoder()
        var outcome = Outcome()
        do {
            for chunk in chunks {
                let output = try decoder.push(chunk)
                outcome.data += output.data
                outcome.leftover += output.leftover
                outcome.done = outcome.done || output.done
            }
        } catch {
            outcome.error = error
        }
        outcome.trailers = decoder.trailers
        return outcome
    }

    private func feed(_ text: String, maxChunkSize: Int? = nil) -> Outcome {
        feed([Array(text.utf8)], maxChunkSize: maxChunkSize)
    }

    @Test func aWholeBodyIsDecoded() {
        let outcome = feed(Self.body + Self.next)
        #expect(
            outcome.data == Array("hello, chunked world".utf8) && outcome.done
                && outcome.leftover == Array(Self.next.utf8),
            "the body is \"hello, chunked world\", done, and the next request is left over; you returned \(outcome.summary)"
        )
        #expect(
            outcome.trailers == ["x-checksum": "42"],
            "the trailer X-Checksum: 42 is kept by lower-cased name; you returned \(outcome.trailers)")
    }

    @Test func everySplitPointGivesTheSameBody() {
        let bytes = Array((Self.body + Self.next).utf8)
        var wrong: [String] = []
        for cut in 1..<bytes.count {
            let outcome = feed([Array(bytes[..<cut]), Array(bytes[cut...])])
            if outcome.data != Array("hello, chunked world".utf8) || !outcome.done
                || outcome.leftover != Array(Self.next.utf8)
            {
                wrong.append("cut after byte \(cut): \(outcome.summary)")
            }
        }
        // The count alone in the expression, so that the failure shows one line, not every cut.
        let wrongCuts = wrong.count
        #expect(
            wrongCuts == 0,
            "cut anywhere, the same body, end and leftover must come out; \(wrong.count) cuts went wrong, first \(wrong.first ?? "")"
        )
    }

    @Test func oneByteAtATime() {
        let outcome = feed((Self.body + Self.next).utf8.map { [$0] })
        #expect(
            outcome.data == Array("hello, chunked world".utf8) && outcome.done
                && outcome.leftover == Array(Self.next.utf8) && outcome.trailers == ["x-checksum": "42"],
            "one byte per push must give the same body, end, leftover and trailer; you returned \(outcome.summary), trailers \(outcome.trailers)"
        )
    }

    /// One push's output in the student's terms, or "an error" when it threw.
    private func show(_ output: ChunkedBodyOutput?) -> String {
        guard let output else { return "an error" }
        return Outcome(data: output.data, done: output.done, leftover: output.leftover).summary
    }

    @Test func notDoneUntilTheLastCRLF() {
        var decoder = ChunkedBodyDecoder()
        let first = try? decoder.push(Array("3\r\nabc\r\n0\r\n".utf8))
        #expect(
            first?.data == Array("abc".utf8) && first?.done == false,
            "after \"3\\r\\nabc\\r\\n0\\r\\n\" the data is \"abc\" and the final empty line is still missing; you returned \(show(first))"
        )
        let last = try? decoder.push(Array("\r\n".utf8))
        #expect(
            last == ChunkedBodyOutput(data: [], done: true, leftover: []),
            "the final \"\\r\\n\" ends the body, with nothing left over; you returned \(show(last))"
        )
    }

    @Test func sizesAreHexInEitherCase() {
        let text =
            "A\r\n0123456789\r\na\r\nabcdefghij\r\n1F\r\n\(String(repeating: "x", count: 31))\r\n1f\r\n\(String(repeating: "y", count: 31))\r\n0\r\n\r\n"
        let outcome = feed(text)
        let expected =
            "0123456789abcdefghij" + String(repeating: "x", count: 31) + String(repeating: "y", count: 31)
        #expect(
            outcome.data == Array(expected.utf8) && outcome.done,
            "A and a are 10, 1F and 1f are 31; you returned \(outcome.summary)")
    }

    @Test func extensionsAreIgnored() {
        let outcome = feed("3;name=value;flag\r\nabc\r\n0;last\r\n\r\n")
        #expect(
            outcome.data == Array("abc".utf8) && outcome.done,
            "everything from \";\" to the line end is an extension, to skip; you returned \(outcome.summary)")
    }

    @Test func badSizesAreRefused() {
        for (text, why) in [
            ("zz\r\n", "zz is not hex"), ("\r\nabc", "the size is missing"), ("-1\r\n", "a size has no sign"),
            ("+5\r\nhello\r\n", "a size has no sign, not even + (Node: HPE_INVALID_CHUNK_SIZE)"),
            ("5 \r\nhello\r\n", "Node allows nothing between the size and CRLF or \";\""),
        ] {
            let outcome = feed(text)
            #expect(
                outcome.error == .invalidChunkSize,
                "\(text.debugDescription): \(why), so throw .invalidChunkSize; you returned \(outcome.summary)"
            )
        }
    }

    @Test func chunksMustEndInCRLF() {
        for (text, why) in [
            ("5\r\nhelloX\r\n0\r\n\r\n", "the 5 bytes are followed by X, not CRLF"),
            ("5\r\nhello\n0\r\n\r\n", "the data is followed by a bare LF"),
            ("5\nhello\r\n0\r\n\r\n", "the size line ends in a bare LF"),
            ("5\rhello\r\n0\r\n\r\n", "the size line's CR is not followed by LF"),
            ("5\r\nhello\r\n0\r\nX-A: 1\n\r\n", "the trailer line ends in a bare LF (Node: HPE_CR_EXPECTED)"),
        ] {
            let outcome = feed(text)
            #expect(
                outcome.error == .missingCRLF,
                "\(text.debugDescription): \(why), so throw .missingCRLF; you returned \(outcome.summary)")
        }
    }

    @Test func oversizedChunksAreRefusedBeforeTheirData() {
        let fits = feed("400\r\n" + String(repeating: "z", count: 1024) + "\r\n0\r\n\r\n", maxChunkSize: 1024)
        #expect(
            fits.data.count == 1024 && fits.done,
            "a 1024-byte chunk fits a limit of 1024: 1024 bytes, done; you returned \(fits.error.map { "the error .\($0)" } ?? "\(fits.data.count) bytes, done \(fits.done)")"
        )
        let tooBig = feed("401\r\n", maxChunkSize: 1024)
        #expect(
            tooBig.error == .chunkTooLarge,
            "0x401 = 1025 bytes is over a limit of 1024; refuse it at once with .chunkTooLarge. You returned \(tooBig.summary)"
        )
        let huge = feed(String(repeating: "f", count: 40) + "\r\n")
        #expect(
            huge.error == .chunkTooLarge,
            "40 hex f's would overflow any integer; throw .chunkTooLarge (do not crash). You returned \(huge.summary)"
        )
    }
}
