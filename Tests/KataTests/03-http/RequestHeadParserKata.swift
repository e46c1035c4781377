import Kata
import Testing

/// The error codes are the ones Node 20 (llhttp 9) reports for the same bytes, except in
/// `theRequestLineIsStricterThanNodes`, whose requests Node accepts.
@Suite struct RequestHeadParserKata {
    static let sample =
        "GET /search?q=node HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"

    /// A head, nil while it is incomplete, or the error thrown.
    private typealias Outcome = Result<ParsedRequestHead?, RequestHeadError>

    /// Pushes the chunks in order until a head or an error comes out.
    private func feed(_ chunks: [[UInt8]], maxHeaderSize: Int? = nil) -> Outcome {
        var parser = maxHeaderSize.map { RequestHeadParser(maxHeaderSize: $0) } ?? RequestHeadParser()
        do {
            for chunk in chunks {
                if let head = try parser.push(chunk) { return .success(head) }
            }
            return .success(nil)
        } catch {
            return .failure(error)
        }
    }

    private func feed(_ text: String, maxHeaderSize: Int? = nil) -> Outcome {
        feed([Array(text.utf8)], maxHeaderSize: maxHeaderSize)
    }

    private func describe(_ outcome: Outcome) -> String {
        switch outcome {
        case .success(let head?):
            "a head (\(head.method) \(head.target) HTTP/\(head.version), \(head.headLength) bytes)"
        case .success(nil): "no head yet (nil)"
        case .failure(let error): "the error .\(error)"
        }
    }

    private func failure(_ outcome: Outcome) -> RequestHeadError? {
        if case .failure(let error) = outcome { error } else { nil }
    }

    /// `headers` sorted by name, so that the message reads the same every run.
    private func show(_ headers: [String: String]?) -> String {
        guard let headers else { return "no head" }
        return "["
            + headers.sorted { $0.key < $1.key }.map {
                "\($0.key.debugDescription): \($0.value.debugDescription)"
            }
            .joined(separator: ", ") + "]"
    }

    private func pairs(_ head: ParsedRequestHead?) -> [String] {
        head?.rawHeaders.map { "\($0.name): \($0.value)" } ?? []
    }

    @Test func aWholeHeadIsParsed() {
        let outcome = feed(Self.sample)
        let head = try? outcome.get()
        #expect(head != nil, "a complete head in one chunk must come out; you returned \(describe(outcome))")
        guard let head else { return }
        #expect(head.method == "GET", "the method is \"GET\"; you returned \"\(head.method)\"")
        #expect(
            head.target == "/search?q=node",
            "the target is \"/search?q=node\"; you returned \"\(head.target)\"")
        #expect(
            head.version == "1.1", "the version is \"1.1\" (no \"HTTP/\"); you returned \"\(head.version)\"")
        #expect(
            head.headers == ["host": "example.com", "user-agent": "curl/8.5.0", "accept": "*/*"],
            "headers maps lower-cased names to values: [\"accept\": \"*/*\", \"host\": \"example.com\", \"user-agent\": \"curl/8.5.0\"]; you returned \(show(head.headers))"
        )
        #expect(
            pairs(head) == ["Host: example.com", "User-Agent: curl/8.5.0", "Accept: */*"],
            "rawHeaders keeps each name as sent, in order; you returned \(pairs(head))")
        #expect(
            head.headLength == Self.sample.utf8.count,
            "the head is \(Self.sample.utf8.count) bytes, blank line included; you said \(head.headLength)")
    }

    @Test func nothingComesOutBeforeTheBlankLine() {
        var parser = RequestHeadParser()
        let parts = ["GET / HTTP/1.1\r\n", "Host: a\r\n", "\r", "\n"]
        for (index, part) in parts.enumerated() {
            let head = try? parser.push(Array(part.utf8))
            if index < parts.count - 1 {
                #expect(
                    head == nil, "after \(parts[...index]) the blank line is incomplete; you returned a head")
            } else {
                #expect(
                    head?.headers == ["host": "a"],
                    "the final \"\\n\" completes the head with Host: a; you returned \(show(head?.headers))"
                )
            }
        }
    }

    @Test func theBodyStartsAtHeadLengthWhereverTheChunksAreCut() {
        let bytes = Array((Self.sample + "BODY").utf8)
        var wrong: [String] = []
        for cut in 1..<bytes.count {
            let outcome = feed([Array(bytes[..<cut]), Array(bytes[cut...])])
            let head = try? outcome.get()
            if head?.target != "/search?q=node" || head?.headers.count != 3
                || head.map({ Array(bytes[$0.headLength...]) }) != Array("BODY".utf8)
            {
                wrong.append("cut after byte \(cut): \(describe(outcome))")
            }
        }
        #expect(
            wrong.count == 0,
            "cut anywhere, the same head must come out, and the bytes after headLength must be \"BODY\"; \(wrong.count) cuts went wrong, first \(wrong.first ?? "")"
        )
    }

    @Test func oneByteAtATime() {
        let outcome = feed(Self.sample.utf8.map { [$0] })
        let head = try? outcome.get()
        #expect(
            head?.method == "GET" && head?.headers["accept"] == "*/*"
                && head?.headLength == Self.sample.utf8.count,
            "one byte per push must give the same head; you returned \(describe(outcome))")
    }

    @Test func namesAreLowerCasedAndRepeatsJoined() {
        let outcome = feed(
            "GET / HTTP/1.1\r\nHost: a\r\nX-Tag: one\r\nx-tag: two\r\nX-Pad: \t padded \t\r\n\r\n")
        let head = try? outcome.get()
        #expect(
            head?.headers == ["host": "a", "x-tag": "one, two", "x-pad": "padded"],
            "repeated names join with \", \", and values lose surrounding spaces and tabs: [\"host\": \"a\", \"x-pad\": \"padded\", \"x-tag\": \"one, two\"]; you returned \(show(head?.headers)) from \(describe(outcome))"
        )
        #expect(
            pairs(head) == ["Host: a", "X-Tag: one", "x-tag: two", "X-Pad: padded"],
            "rawHeaders keeps every line, its name as sent; you returned \(pairs(head))")
    }

    @Test func otherTargetsAndHTTP10() {
        let cases: [(text: String, method: String, target: String, version: String)] = [
            ("OPTIONS * HTTP/1.1\r\n\r\n", "OPTIONS", "*", "1.1"),
            ("CONNECT example.com:443 HTTP/1.1\r\n\r\n", "CONNECT", "example.com:443", "1.1"),
            ("GET /old HTTP/1.0\r\n\r\n", "GET", "/old", "1.0"),
        ]
        for (text, method, target, version) in cases {
            let outcome = feed(text)
            let head = try? outcome.get()
            #expect(
                head?.method == method && head?.target == target && head?.version == version,
                "\(text.debugDescription) is \(method) \(target) HTTP/\(version); you returned \(describe(outcome))"
            )
        }
    }

    @Test func badRequestLinesGetLlhttpsErrors() {
        let cases: [(text: String, error: RequestHeadError)] = [
            ("get / HTTP/1.1\r\n\r\n", .invalidMethod),
            ("GET\r\n\r\n", .invalidMethod),
            ("GET index.html HTTP/1.1\r\n\r\n", .invalidURL),
            ("GET /a\u{7F}b HTTP/1.1\r\n\r\n", .invalidURL),
            ("GET / HTTP/1.2\r\n\r\n", .invalidVersion),
            ("GET / HTTP/1.1\nHost: a\r\n\r\n", .invalidVersion),
        ]
        for (text, error) in cases {
            let outcome = feed(text)
            #expect(
                failure(outcome) == error,
                "\(text.debugDescription) must throw \(error); you returned \(describe(outcome))")
        }
    }

    /// Node accepts these; this parser's request line is strict on purpose.
    @Test func theRequestLineIsStricterThanNodes() {
        let cases: [(text: String, error: RequestHeadError, why: String)] = [
            ("GET  / HTTP/1.1\r\n\r\n", .invalidURL, "two spaces before the target leave it empty"),
            ("GET http://a/b HTTP/1.1\r\n\r\n", .invalidURL, "an absolute URL (proxy form) is not a path"),
            ("GET /\r\n\r\n", .invalidVersion, "a request line with no version (HTTP/0.9)"),
        ]
        for (text, error, why) in cases {
            let outcome = feed(text)
            #expect(
                failure(outcome) == error,
                "\(text.debugDescription): \(why), so it must throw \(error); you returned \(describe(outcome))"
            )
        }
    }

    @Test func badHeaderLinesGetLlhttpsErrors() {
        let cases: [(line: String, error: RequestHeadError)] = [
            ("Host : a\r\n", .invalidHeaderToken),
            ("X Y: a\r\n", .invalidHeaderToken),
            ("Hosta\r\n", .invalidHeaderToken),
            (": a\r\n", .invalidHeaderToken),
            ("X: a\u{01}b\r\n", .invalidHeaderToken),
            (" Host: a\r\n", .unexpectedSpace),
        ]
        for (line, error) in cases {
            let text = "GET / HTTP/1.1\r\n" + line + "\r\n"
            let outcome = feed(text)
            #expect(
                failure(outcome) == error,
                "the header line \(line.debugDescription) must throw \(error); you returned \(describe(outcome))"
            )
        }
    }

    @Test func obsFoldIsRefused() {
        for fold in [" ", "\t"] {
            let text = "GET / HTTP/1.1\r\nX-Long: first\r\n\(fold)second\r\n\r\n"
            let outcome = feed(text)
            #expect(
                failure(outcome) == .invalidHeaderToken,
                "a line starting with \(fold.debugDescription) would continue the value above (obs-fold); Node refuses it with .invalidHeaderToken. You returned \(describe(outcome))"
            )
        }
    }

    @Test func linesMustEndInCRLF() {
        let cases: [(text: String, error: RequestHeadError, why: String)] = [
            ("GET / HTTP/1.1\r\nHost: a\n\r\n", .crExpected, "a header line ending in a bare LF"),
            ("GET / HTTP/1.1\r\nHost: a\rX\r\n\r\n", .lfExpected, "a CR that no LF follows"),
            ("GET / HTTP/1.1\r\nHost: a\r\n\n", .invalidHeaderToken, "a blank line that is a bare LF"),
        ]
        for (text, error, why) in cases {
            let bytes = Array(text.utf8)
            let whole = feed(text)
            #expect(failure(whole) == error, "\(why) must throw \(error); you returned \(describe(whole))")
            let wrongCuts = (1..<bytes.count).filter { cut in
                failure(feed([Array(bytes[..<cut]), Array(bytes[cut...])])) != error
            }
            #expect(
                wrongCuts.count == 0,
                "\(why) must throw \(error) wherever the chunks are cut; cut after byte \(wrongCuts.first ?? 0) it did not"
            )
        }
    }

    @Test func theLimitCountsURLNamesAndValuesOnly() {
        // URL "/" (1) + "Host" (4) + "a" (1) + "X" (1) + the value: the limit is reached at 100.
        func head(method: String = "GET", padding: String = "", value: Int) -> String {
            "\(method) / HTTP/1.1\r\nHost: a\r\nX:\(padding)\(String(repeating: "v", count: value))\r\n\r\n"
        }
        let under = feed(head(value: 92), maxHeaderSize: 100)
        #expect(
            (try? under.get()) != nil,
            "URL + names + values = 99 is under a limit of 100; you returned \(describe(under))")
        let at = feed(head(value: 93), maxHeaderSize: 100)
        #expect(
            failure(at) == .headerOverflow,
            "URL + names + values = 100 reaches a limit of 100, which Node refuses; you returned \(describe(at))"
        )
        let longMethod = feed(head(method: "OPTIONS", padding: "      ", value: 92), maxHeaderSize: 100)
        #expect(
            (try? longMethod.get()) != nil,
            "the method and the spaces before a value are not counted, so this is still 99; you returned \(describe(longMethod))"
        )
    }

    @Test func theDefaultLimitIs16KiB() {
        // "/" + "Host" + "a" + "X" = 7 bytes, plus the value.
        func head(value: Int) -> String {
            "GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "v", count: value))\r\n\r\n"
        }
        let under = feed(head(value: 16383 - 7))
        #expect(
            (try? under.get()) != nil,
            "16383 counted bytes fit the default limit; you returned \(describe(under))")
        let at = feed(head(value: 16384 - 7))
        #expect(
            failure(at) == .headerOverflow,
            "16384 counted bytes reach the default limit (16384); you returned \(describe(at))")
    }

    @Test func aHeadThatNeverEndsStillOverflows() {
        let start = Array("GET / HTTP/1.1\r\nX-Flood: ".utf8)
        let flood = [UInt8](repeating: UInt8(ascii: "v"), count: 20000)
        let outcome = feed(
            [start] + stride(from: 0, to: flood.count, by: 1000).map { Array(flood[$0..<($0 + 1000)]) })
        #expect(
            failure(outcome) == .headerOverflow,
            "20000 bytes of one header value with no line end must overflow before the line ends; you returned \(describe(outcome))"
        )
    }
}
