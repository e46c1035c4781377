import NodeNet

/// Requests (heads and small bodies, pipelined) fed to an `http.createServer` server, cut into
/// reads at random points, sometimes followed by the client's FIN.
///
/// What must hold: no trap; the server writes nothing, or well-formed HTTP/1.1 responses with
/// only the statuses Node's server gives such input (200 from the handler, 100, 417, and the
/// `clientError` answers 400, 408, 413, 431); an error answer is the last thing written and the
/// connection closes after it; the handler never sees more body bytes than were sent; once the
/// client has gone, the server counts no connection.
@NodeActor final class HTTPHeadTarget: FuzzTarget {
    let name = "http-head"
    let summary = "request lines, headers and small bodies into the HTTP server's parser"
    let maxLength = 32 * 1024
    let dictionary = [
        "\r\n", "\r\n\r\n", "GET ", "POST ", "HEAD ", "CONNECT ", "OPTIONS * ", " HTTP/1.1", " HTTP/1.0",
        "Host: x\r\n", "Content-Length: ", "Transfer-Encoding: chunked\r\n", "Connection: close\r\n",
        "Connection: keep-alive\r\n", "Connection: upgrade\r\n", "Upgrade: websocket\r\n",
        "Expect: 100-continue\r\n", "Expect: x\r\n", ": ", "\t", " ", "%00", "\u{7F}", "0\r\n\r\n",
    ]
    private let server: HTTPServer
    private var bodyBytes = 0

    init() {
        server = http.createServer()
        server.on(.request) { [weak self] req, res in
            req.on(.data) { chunk in self?.bodyBytes += chunk.count }
            req.on(.end) { res.end() }
        }
    }

    func run(_ input: [UInt8]) async -> Verdict {
        await exchange(prefix: [], input)
    }

    /// Sends `prefix` (fixed, valid) and then `input` over a new connection and judges what came
    /// back.
    func exchange(prefix: [UInt8], _ input: [UInt8]) async -> Verdict {
        bodyBytes = 0
        await listening(server)
        let connection = await EmbeddedConnection(to: server)
        let sent = prefix + input
        for piece in sent.reads(1 + Int(fnv1a(input) % 4)) { await connection.send(piece) }
        let sentEnd = fnv1a(input) & 0x10 != 0
        if sentEnd { await connection.sendEnd() }
        let output = connection.output
        let stayedOpen = connection.isOpen
        await connection.close()
        var verdict = judge(output, stayedOpen: stayedOpen, sentEnd: sentEnd, sent: sent.count)
        if await connectionCount(server) > 0 {
            verdict.violation = verdict.violation ?? "the server still counts the connection after it closed"
        }
        return verdict
    }

    private func judge(_ output: [UInt8], stayedOpen: Bool, sentEnd: Bool, sent: Int) -> Verdict {
        var reader = ResponseReader(output)
        var statuses: [Int] = []
        var problem: String?
        do {
            while let response = try reader.next() {
                if let errorStatus = statuses.last(where: { $0 >= 400 && $0 != 417 }) {
                    problem = "a response after the error answer \(errorStatus)"
                }
                statuses.append(response.status)
                if ![100, 200, 400, 408, 413, 417, 431].contains(response.status) {
                    problem = "status \(response.status), which Node's server does not give here"
                }
            }
        } catch {
            problem = error.message
        }
        if let last = statuses.last, last >= 400, last != 417, stayedOpen {
            problem = problem ?? "the connection stayed open after the error answer \(last)"
        }
        if bodyBytes > sent { problem = problem ?? "the handler saw \(bodyBytes) body bytes of \(sent) sent" }
        let outcome =
            Self.collapsed(statuses) + (stayedOpen ? " open" : " closed") + (sentEnd ? " after FIN" : "")
        return Verdict(outcome: outcome, violation: problem)
    }

    /// `200 200 200 400` as `200×3 400`.
    static func collapsed(_ statuses: [Int]) -> String {
        guard !statuses.isEmpty else { return "silent" }
        var parts: [String] = []
        var index = 0
        while index < statuses.count {
            let run = statuses[index...].prefix { $0 == statuses[index] }.count
            parts.append(run == 1 ? "\(statuses[index])" : "\(statuses[index])×\(run)")
            index += run
        }
        return parts.joined(separator: " ")
    }
}

/// Chunked request bodies after a fixed, valid head: chunk sizes, extensions, trailers, and
/// what follows the last chunk (a pipelined request), with the same checks as `http-head`.
@NodeActor final class HTTPChunkedTarget: FuzzTarget {
    let name = "http-chunked"
    let summary = "chunked request bodies (sizes, extensions, trailers) after a valid head"
    let maxLength = 64 * 1024
    let dictionary = [
        "\r\n", "0\r\n\r\n", ";", ";ext=1", ";name=\"quoted\"", "=", "\"", "0", "f", "ffffffff",
        "Trailer: x\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "\n", " ", "\t",
    ]
    private let head = HTTPHeadTarget()
    private static let requestHead = Array(
        "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)

    func run(_ input: [UInt8]) async -> Verdict {
        await head.exchange(prefix: Self.requestHead, input)
    }
}
