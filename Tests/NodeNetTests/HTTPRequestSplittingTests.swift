import Foundation
import NodeNet
import TestSupport
import Testing

/// Every string a program hands to HTTP that ends up in a head is checked as Node checks it, so
/// that a caller's CR LF can never end a line early: a path that splits one request into two, a
/// method, a Host, a header, a status message. A refused request sends nothing at all.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct HTTPRequestSplittingTests {
    /// Paths and methods, each with what Node 20's `http.request` throws (nil: accepted).
    nonisolated static let requestLines: [(path: String, method: String, code: String?)] = [
        ("/ HTTP/1.1\r\nX: 1\r\n\r\nGET /admin", "GET", "ERR_UNESCAPED_CHARACTERS"),
        ("/a b", "GET", "ERR_UNESCAPED_CHARACTERS"),
        ("/a\tb", "GET", "ERR_UNESCAPED_CHARACTERS"),
        ("/a\nb", "GET", "ERR_UNESCAPED_CHARACTERS"),
        ("/a\u{0}b", "GET", "ERR_UNESCAPED_CHARACTERS"),
        ("/中", "GET", "ERR_UNESCAPED_CHARACTERS"),
        ("/é?q=%20", "GET", nil),
        ("/", "GE T", "ERR_INVALID_HTTP_TOKEN"),
        ("/", "GET /admin HTTP/1.1\r\n", "ERR_INVALID_HTTP_TOKEN"),
        ("/", "get", nil),
    ]

    /// A TCP server that records every byte it is sent and answers each request head.
    private func recordingServer() async throws -> (Server, Int, EventLog) {
        let log = EventLog()
        let (server, port) = try await listeningServer { socket in
            socket.on(.data) { data in
                log.add(data.toString())
                if data.toString().hasSuffix("\r\n\r\n") {
                    socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                }
            }
        }
        return (server, port, log)
    }

    /// The error a request with these options fails with, or nil once it got its response.
    private func outcome(_ options: RequestOptions) async throws -> NodeError? {
        try await waitFor("request outcome") { done in
            let req = http.request(options) { res in
                res.resume()
                res.on(.end) { done(nil) }
            }
            req.on(.error) { done($0) }
            req.end()
        }
    }

    @Test(arguments: requestLines.indices)
    func aRequestLineIsCheckedAsNodeChecksIt(_ index: Int) async throws {
        let (path, method, code) = Self.requestLines[index]
        let (server, port, log) = try await recordingServer()
        defer { server.close() }
        let error = try await outcome(
            RequestOptions(host: "127.0.0.1", port: port, method: method, path: path, agent: nil))
        #expect(error?.code == code)
        // Then an honest request: it is the first thing the server ever saw, so the refused one
        // sent nothing.
        let next = try await outcome(RequestOptions(host: "127.0.0.1", port: port, path: "/next", agent: nil))
        #expect(next == nil)
        let first = log.entries.first ?? ""
        if code == nil {
            #expect(first.hasPrefix("\(method.uppercased()) "))
        } else {
            #expect(first.hasPrefix("GET /next HTTP/1.1\r\n"))
            #expect(!log.entries.joined().contains("admin"))
        }
    }

    @Test func aHostOrHeaderWithCRLFFailsTheRequestInsteadOfEndingTheProgram() async throws {
        let (server, port, log) = try await recordingServer()
        defer { server.close() }
        let badHeader = try await outcome(
            RequestOptions(host: "127.0.0.1", port: port, headers: [("X", "1\r\nX-Admin: yes")], agent: nil))
        #expect(badHeader?.code == "ERR_INVALID_CHAR")
        #expect(badHeader?.message == "Invalid character in header content [\"X\"]")
        var options = RequestOptions(host: "127.0.0.1", port: port, agent: nil)
        options.host = "127.0.0.1\r\nX-Admin: yes"
        let badHost = try await outcome(options)
        #expect(badHost?.code == "ERR_INVALID_CHAR")
        #expect(badHost?.message == "Invalid character in header content [\"Host\"]")
        let next = try await outcome(RequestOptions(host: "127.0.0.1", port: port, path: "/next", agent: nil))
        #expect(next == nil)
        #expect(log.entries.allSatisfy { !$0.contains("X-Admin") })
    }

    /// Header values, each with what Node 20's `http.request` throws for it (nil: accepted):
    /// a tab or a character from U+0020 to U+00FF but DEL, as Node's `checkInvalidHeaderChar`.
    nonisolated static let headerValues: [(value: String, code: String?)] = [
        ("é", nil), ("ÿ", nil), ("a\tb", nil), ("Ā", "ERR_INVALID_CHAR"), ("你好", "ERR_INVALID_CHAR"),
        ("a\u{0}b", "ERR_INVALID_CHAR"), ("a\u{7F}b", "ERR_INVALID_CHAR"), ("🙂", "ERR_INVALID_CHAR"),
    ]

    @Test func aHeaderValueIsCheckedAsNodeChecksIt() async throws {
        let (server, port, _) = try await recordingServer()
        defer { server.close() }
        var ours: [String] = []
        for (value, code) in Self.headerValues {
            let error = try await outcome(
                RequestOptions(host: "127.0.0.1", port: port, headers: [("X", value)], agent: nil))
            #expect(error?.code == code, "\(value.unicodeScalars.map { $0.value })")
            ours.append(error?.code ?? "ok")
        }
        // A live Node says the same of each.
        let node = try requirePeer("node")
        let values = String(decoding: try JSONEncoder().encode(Self.headerValues.map(\.value)), as: UTF8.self)
        let script = """
            const http = require('http');
            for (const value of \(values)) {
              try { http.request({ host: '127.0.0.1', port: 9, headers: { X: value } }).on('error', () => {}).destroy();
                    console.log('ok'); }
              catch (e) { console.log(e.code); }
            }
            """
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try await runPeer(node, ["-e", script], in: directory.url)
        #expect(run.status == 0, "\(run)")
        #expect(run.output.split(separator: "\n").map(String.init) == ours)
    }

    @Test func aStatusMessageWithCRLFIsRefusedAndNoHeadIsSent() async throws {
        let log = EventLog()
        let (server, port) = try await listeningHTTPServer { req, res in
            res.on(.error) { error in log.add("\(error.code): \(error.message)") }
            if req.url == "/argument" {
                res.writeHead(200, "OK\r\nSet-Cookie: admin=1")
            } else {
                res.statusMessage = "OK\r\nSet-Cookie: admin=1"
                res.write("body")
                res.statusMessage = nil
            }
            // The program answers properly after the refusal; only this goes out.
            res.writeHead(200, "Fine")
            res.end("ok")
        }
        defer { server.close() }
        for path in ["/argument", "/property"] {
            let reply = try await rawExchange(port, "GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n") {
                $0.hasSuffix("ok")
            }
            #expect(reply.text.hasPrefix("HTTP/1.1 200 Fine\r\n"))
            #expect(!reply.text.contains("admin"))
        }
        #expect(
            log.entries == Array(repeating: "ERR_INVALID_CHAR: Invalid character in statusMessage", count: 2))
    }

    /// The codes and messages above are Node's: a live Node says what it throws for each case.
    @Test func nodeThrowsTheSameCodesAndMessages() async throws {
        let node = try requirePeer("node")
        let cases = Self.requestLines.map { [$0.path, $0.method] }
        let json = String(decoding: try JSONEncoder().encode(cases), as: UTF8.self)
        let script = """
            const http = require('http');
            for (const [path, method] of \(json)) {
              try { http.request({ host: '127.0.0.1', port: 9, path, method }).on('error', () => {}).destroy();
                    console.log('ok'); }
              catch (e) { console.log(e.code + ': ' + e.message.replaceAll('\\n', '\\\\n').replaceAll('\\r', '\\\\r')); }
            }
            try { new http.ServerResponse(new http.IncomingMessage(null)).writeHead(200, 'OK\\r\\nX: y'); }
            catch (e) { console.log(e.code + ': ' + e.message); }
            """
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try await runPeer(node, ["-e", script], in: directory.url)
        #expect(run.status == 0, "\(run)")
        var ours: [String] = []
        for (path, method, _) in Self.requestLines {
            let options = RequestOptions(host: "127.0.0.1", port: 9, method: method, path: path, agent: nil)
            let error: NodeError? = try await waitFor("refusal") { done in
                let req = http.request(options)
                req.on(.error) { done($0) }
                req.on(.socket) { _ in
                    done(nil)
                    req.destroy()
                }
            }
            let text = error.map { "\($0.code): \($0.message)" } ?? "ok"
            ours.append(
                text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r"))
        }
        ours.append("ERR_INVALID_CHAR: Invalid character in statusMessage")
        #expect(run.output.split(separator: "\n").map(String.init) == ours)
    }
}
