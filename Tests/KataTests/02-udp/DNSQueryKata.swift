import Kata
import NodeNet
import TestSupport
import Testing

/// Fixtures written byte by byte from RFC 1035 §4.1.
@Suite(.timeLimit(.minutes(1)))
struct DNSQueryKata {
    /// The query for example.com's A records with id 0x1234 and recursion desired.
    static let query: [UInt8] =
        [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]  // header
        + [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0] + [0x00, 0x01, 0x00, 0x01]  // question

    /// An answer: a CNAME (www.example.com, its name a pointer to offset 12) and two A records whose
    /// names point at the CNAME's data (offset 41).
    static let response: [UInt8] =
        [0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00]
        + Array(query[12...])
        + [0xC0, 0x0C, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x06, 3] + Array("www".utf8) + [
            0xC0, 0x0C,
        ]
        + [0xC0, 0x29, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x04, 93, 184, 216, 34]
        + [0xC0, 0x29, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x04, 93, 184, 215, 14]

    @Test func theQueryIsByteForByteRFC1035() {
        let bytes = encodeDNSQuery(id: 0x1234, name: "example.com").bytes
        #expect(
            bytes == Self.query,
            "the query for example.com (id 0x1234) must be \(Self.query.count) bytes, header then question; yours is \(bytes.count) bytes: \(bytes)"
        )
        let header = Array(bytes.prefix(12))
        #expect(
            header == Array(Self.query.prefix(12)),
            "the header must be id 0x1234, flags 0x0100, 1 question, 0, 0, 0: \(Array(Self.query.prefix(12))); yours is \(header)"
        )
    }

    @Test func aRecordsAreReadPastACNAMEAndCompressedNames() {
        let addresses = decodeARecords(Buffer(Self.response))
        #expect(
            addresses == ["93.184.216.34", "93.184.215.14"],
            "the answer holds a CNAME and two A records, with compressed names: [\"93.184.216.34\", \"93.184.215.14\"]; you found \(addresses)"
        )
    }

    @Test @NodeActor func aQueryCrossesARealSocket() async throws {
        // A tiny DNS server on loopback: it checks the query and answers with the fixture.
        let server = dgram.createSocket(.udp4)
        server.on(.message) { message, rinfo in
            // Only a query that matches the fixture (any id) gets the fixture's answer.
            let valid =
                message.count == Self.query.count
                && Array(message.bytes.dropFirst(2)) == Array(Self.query.dropFirst(2))
            var answer = valid ? Self.response : []
            if valid { answer.replaceSubrange(0..<2, with: message.bytes.prefix(2)) }
            try? server.send(Buffer(answer), rinfo.port, rinfo.address)
        }
        try await waitFor("listening") { done in try! server.bind(0, "127.0.0.1", done) }
        let client = dgram.createSocket(.udp4)
        defer {
            try? server.close()
            try? client.close()
        }
        let addresses: [String] = try await waitFor("the answer", seconds: 30) { done in
            // A stub's query gets an empty answer, which decodes to no address.
            client.once(.message) { message, _ in done(decodeARecords(message)) }
            try! client.send(
                encodeDNSQuery(id: 0xBEEF, name: "example.com"), server.address()!.port, "127.0.0.1")
        }
        #expect(
            addresses == ["93.184.216.34", "93.184.215.14"],
            "over UDP, the server answered 93.184.216.34 and 93.184.215.14; you read \(addresses)")
    }
}
