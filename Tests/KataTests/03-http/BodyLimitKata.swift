import Foundation
import Kata
import NodeNet
import TestSupport
import Testing

/// A real HTTP server with your handler (limit 1000 bytes), and raw TCP clients that send bodies
/// with and without a length, cut where the test chooses.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct BodyLimitKata {
    static let limit = 1000

    /// How many body chunks the server has been given so far.
    @NodeActor final class Chunks {
        var count = 0
        var changed: @NodeActor () -> Void = {}
    }

    private func server(_ chunks: Chunks = Chunks()) async throws -> (HTTPServer, Int) {
        try await listeningHTTPServer { req, res in
            req.on(.data) { _ in
                chunks.count += 1
                chunks.changed()
            }
            echoBody(req, res, limit: Self.limit)
        }
    }

    /// Whether `bytes` hold a response head and as many body bytes as its Content-Length says.
    static func isWholeResponse(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return false }
        let length = text[..<headEnd.lowerBound].split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
        return bytes.count - text[..<headEnd.upperBound].utf8.count >= (length ?? 0)
    }

    /// The status line of a raw reply.
    private func statusLine(_ reply: RawReply) -> String {
        String(reply.text.prefix { $0 != "\r\n" })
    }

    /// Sends `request` on a connection of its own and reads until the server closes it.
    private func refused(_ port: Int, _ request: String, _ situation: String) async -> RawReply? {
        do {
            return try await rawExchange(port, request, seconds: 30)
        } catch {
            Issue.record(
                "\(situation), and no 413 came (with the connection closed) \(waited(30, error)): answer 413 with Connection: close as soon as you know the body is too big, without waiting for its end"
            )
            return nil
        }
    }

    private func expectRefusal(_ reply: RawReply, _ situation: String) {
        #expect(
            statusLine(reply) == "HTTP/1.1 413 Payload Too Large",
            "\(situation): the answer must be 413; it began \(statusLine(reply).debugDescription)")
        #expect(
            reply.text.contains("\r\nConnection: close\r\n") && reply.closed,
            "\(situation): the 413 must say Connection: close, and the server then closes; the reply was \(reply.text.debugDescription)"
        )
    }

    private func expectStillServing(_ port: Int) async throws {
        let reply = try await rawExchange(
            port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi",
            seconds: 30
        )
        #expect(
            statusLine(reply) == "HTTP/1.1 200 OK" && reply.text.hasSuffix("\r\n\r\nhi"),
            "after a refusal the server must go on serving others: a 2-byte body got \(reply.text.debugDescription)"
        )
    }

    @Test func aBodyCutInsideACharacterComesBackWhole() async throws {
        let chunks = Chunks()
        let (server, port) = try await server(chunks)
        defer { server.close() }
        // "你" is E4 BD A0: the first chunk ends after E4 BD, the second starts with A0.
        let first = Buffer(
            Array("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n".utf8) + [
                0xE4, 0xBD,
            ] + Array("\r\n".utf8))
        let second = Buffer([0x34, 0x0D, 0x0A, 0xA0] + Array(" ok\r\n0\r\n\r\n".utf8))
        let client = net.connect(port)
        defer { client.destroy() }
        var received: [UInt8] = []
        client.on(.data) { received += $0.bytes }
        client.on(.error) { _ in }
        client.write(first)
        try await waitFor("the first chunk to reach the handler", seconds: 30) { done in
            chunks.changed = { done() }
            if chunks.count > 0 { done() }
        }
        client.write(second)
        let expected = "你 ok"
        do {
            try await waitFor("the whole answer", seconds: 30) { done in
                client.on(.data) { _ in if Self.isWholeResponse(received) { done() } }
                client.on(.close) { _ in done() }
            }
        } catch {
            Issue.record(
                "the client sent a 6-byte chunked body in two chunks and got no whole answer \(waited(30, error)); it received \(String(decoding: received, as: UTF8.self).debugDescription). Answer at the request's end with the whole body"
            )
            return
        }
        let reply = String(decoding: received, as: UTF8.self)
        #expect(
            reply.hasPrefix("HTTP/1.1 200 OK\r\n") && reply.hasSuffix("\r\n\r\n" + expected),
            "a body of \"你 ok\" sent as two chunks, the first ending inside 你, must come back as \"你 ok\" with 200; the reply was \(reply.debugDescription). Keep the chunks as bytes (Buffer.concat) and decode only the whole"
        )
    }

    @Test func aBodyOfExactlyTheLimitIsTaken() async throws {
        let (server, port) = try await server()
        defer { server.close() }
        let body = String(repeating: "x", count: Self.limit)
        let reply: RawReply
        do {
            reply = try await rawExchange(
                port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(Self.limit)\r\n\r\n\(body)",
                seconds: 30
            ) { $0.hasSuffix(body) || $0.contains(" 413 ") }
        } catch {
            Issue.record(
                "a body of exactly the limit (\(Self.limit) bytes) got no answer \(waited(30, error)): take it, and answer 200 with it at the request's end"
            )
            return
        }
        #expect(
            statusLine(reply) == "HTTP/1.1 200 OK" && reply.text.hasSuffix("\r\n\r\n" + body),
            "a body of exactly the limit (\(Self.limit) bytes) must be taken and sent back with 200; the answer began \(statusLine(reply).debugDescription)"
        )
    }

    @Test func anAnnouncedTooBigBodyIsRefusedAtOnce() async throws {
        let (server, port) = try await server()
        defer { server.close() }
        let situation =
            "a head that says Content-Length: \(Self.limit + 1) (the limit is \(Self.limit)) came, and its body did not follow"
        guard
            let reply = await refused(
                port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(Self.limit + 1)\r\n\r\n", situation)
        else { return }
        expectRefusal(reply, situation)
        try await expectStillServing(port)
    }

    @Test func aChunkedBodyIsRefusedOnceItPassesTheLimit() async throws {
        let (server, port) = try await server()
        defer { server.close() }
        let chunk = "258\r\n" + String(repeating: "a", count: 600) + "\r\n"
        let situation =
            "a chunked body without a length sent 2 chunks of 600 bytes (the limit is \(Self.limit)) and has not ended"
        guard
            let reply = await refused(
                port, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk,
                situation)
        else { return }
        expectRefusal(reply, situation)
        try await expectStillServing(port)
    }
}
