import Kata
import Testing

@Suite struct HandshakeCheckKata {
    /// The book's request (RFC 6455's sample), header names as the book writes them.
    static let books: [(name: String, value: String)] = [
        ("Host", "server.example.com"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
        ("sec-WebSocket-key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Protocol", "chat, superchat"),
        ("sec-WebSocket-Version", "13"),
    ]

    /// The book's request with one header changed (`nil` removes it), matched by lower-cased name.
    private func changed(_ name: String, _ value: String?) -> [(name: String, value: String)] {
        var headers = Self.books.filter { $0.name.lowercased() != name.lowercased() }
        if let value { headers.append((name, value)) }
        return headers
    }

    private func answer(
        method: String = "GET", version: String = "1.1",
        _ headers: [(name: String, value: String)] = Self.books
    ) -> HandshakeAnswer {
        checkHandshake(method: method, httpVersion: version, headers: headers)
    }

    /// The status, then the headers as they would be written, sorted by name so that the message
    /// is the same every run.
    private func show(_ answer: HandshakeAnswer) -> String {
        let headers = answer.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return "\(answer.status)"
            + (headers.isEmpty ? " with no headers" : " with " + headers.joined(separator: ", "))
    }

    /// Expects exactly this status and these headers (none when none are given).
    private func check(
        _ got: HandshakeAnswer, _ status: Int, headers: [String: String] = [:], _ situation: String
    ) {
        #expect(
            show(got) == show(HandshakeAnswer(status: status, headers: headers)),
            "\(situation): answer \(show(HandshakeAnswer(status: status, headers: headers))); you answered \(show(got))"
        )
    }

    static let switching = [
        "Upgrade": "websocket", "Connection": "Upgrade",
        "Sec-WebSocket-Accept": "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
    ]

    @Test func theBooksRequestSwitchesProtocols() {
        check(answer(), 101, headers: Self.switching, "the book's request is a valid handshake")
    }

    @Test func headerNamesMatchInAnyCase() {
        let shouting = Self.books.map { (name: $0.name.uppercased(), value: $0.value) }
        check(
            answer(shouting), 101, headers: Self.switching,
            "the book's request with every header name in capitals")
        let quiet = Self.books.map { (name: $0.name.lowercased(), value: $0.value) }
        check(
            answer(quiet), 101, headers: Self.switching,
            "the book's request with every header name in lower case")
    }

    @Test func onlyGETMayUpgrade() {
        for method in ["POST", "PUT", "HEAD", "CONNECT"] {
            check(answer(method: method), 405, headers: ["Allow": "GET"], "\(method) cannot open a WebSocket")
        }
    }

    @Test func http10CannotUpgrade() {
        for version in ["1.0", "0.9"] {
            check(
                answer(version: version), 400,
                "an HTTP/\(version) request cannot upgrade (RFC 6455 asks for 1.1 or later)")
        }
    }

    @Test func laterVersionsMayUpgrade() {
        for version in ["1.2", "2.0"] {
            check(
                answer(version: version), 101, headers: Self.switching,
                "HTTP/\(version) is later than 1.1, and RFC 6455 asks for 1.1 or later; compare the numbers, not the text"
            )
        }
    }

    @Test func upgradeMustNameWebsocket() {
        for value in ["WebSocket", "WEBSOCKET", "h2c, websocket"] {
            check(
                answer(changed("Upgrade", value)), 101, headers: Self.switching,
                "Upgrade: \(value) names websocket")
        }
        for value in [nil, "h2c", "websockets", "web socket"] as [String?] {
            check(
                answer(changed("Upgrade", value)), 400,
                "Upgrade: \(value ?? "(missing)") does not name websocket")
        }
    }

    @Test func connectionMustHoldTheUpgradeToken() {
        for value in ["upgrade", "keep-alive, Upgrade", "Upgrade,keep-alive", "KEEP-ALIVE,  UPGRADE"] {
            check(
                answer(changed("Connection", value)), 101, headers: Self.switching,
                "Connection: \(value) holds upgrade")
        }
        for value in [nil, "keep-alive", "close", "upgrades"] as [String?] {
            check(
                answer(changed("Connection", value)), 400,
                "Connection: \(value ?? "(missing)") does not hold the token upgrade")
        }
    }

    @Test func theKeyMustBeSixteenBytesOfBase64() {
        for key in ["AAAAAAAAAAAAAAAAAAAAAA==", "x3JJHMbDL1EzLkh9GBhXDw==", "/////////////////////w=="] {
            let got = answer(changed("Sec-WebSocket-Key", key))
            #expect(
                got.status == 101,
                "Sec-WebSocket-Key: \(key) is 16 bytes in base64, so 101; you answered \(show(got))")
        }
        for (key, why) in [
            ("dGhlIHNhbXBsZSBub25jZQ", "the book's key without its == is 22 characters, not 24"),
            (nil, "there is no key"), ("", "the key is empty"),
            ("AQIDBAUGBwgJCgsMDQ4PEBESExQ=", "that is 20 bytes in base64, not 16"),
            ("AQIDBAUGBwgJCgsMDQ4P", "that is 15 bytes in base64, not 16"),
            ("dGhlIHNhbXBsZSBub25jZQab", "24 characters, but without the == they are 18 bytes"),
            ("-_8AAAAAAAAAAAAAAAAAAA==", "- and _ are base64url, not base64"),
            ("dGhlIHNhbX=lZSBub25jZQ==", "= appears only at the end"),
        ] as [(String?, String)] {
            check(
                answer(changed("Sec-WebSocket-Key", key)), 400,
                "Sec-WebSocket-Key: \(key.map(\.debugDescription) ?? "(missing)"): \(why)")
        }
    }

    @Test func otherVersionsAreToldToUse13() {
        for value in [nil, "8", "12", "14", "thirteen"] as [String?] {
            check(
                answer(changed("Sec-WebSocket-Version", value)), 426,
                headers: ["Sec-WebSocket-Version": "13"],
                "Sec-WebSocket-Version: \(value ?? "(missing)") is not 13; say which version this server speaks"
            )
        }
    }

    @Test func theFirstProblemDecides() {
        check(
            answer(method: "POST", []), 405, headers: ["Allow": "GET"],
            "a POST with no headers: the method comes first")
        check(
            answer(changed("Upgrade", "h2c").filter { $0.name != "sec-WebSocket-Version" }), 400,
            "a wrong Upgrade and no version: Upgrade is checked before the version")
        check(
            answer(changed("sec-WebSocket-key", "short").filter { $0.name != "sec-WebSocket-Version" }), 400,
            "a bad key and no version: the key is checked before the version")
    }
}
