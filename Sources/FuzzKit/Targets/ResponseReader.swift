/// Reads what an HTTP server wrote as a sequence of HTTP/1.1 responses, the way a client would:
/// status line, headers, then the body as its framing says.
struct ResponseReader {
    /// One response read.
    struct Response {
        var status: Int
        /// Lower-cased header names with their values.
        var headers: [(String, String)]

        func header(_ name: String) -> String? {
            headers.first { $0.0 == name }?.1
        }
    }

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Where the responses read so far end (a protocol that took over starts there).
    var end: Int { position }

    /// The next response, nil at the end of the bytes; throws what is malformed.
    mutating func next() throws(Malformed) -> Response? {
        guard position < bytes.count else { return nil }
        guard let headEnd = find([13, 10, 13, 10], from: position) else {
            throw Malformed("a response head without its blank line")
        }
        let lines = String(decoding: bytes[position..<headEnd], as: UTF8.self)
            .split(separator: "\r\n", omittingEmptySubsequences: false)
        position = headEnd + 4
        let statusLine = lines[0]
        let digits = statusLine.dropFirst(9).prefix(3)
        guard statusLine.hasPrefix("HTTP/1.1 "), digits.count == 3, let status = Int(digits),
            statusLine.dropFirst(12).first == " "
        else { throw Malformed("a malformed status line: \(statusLine.prefix(80))") }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw Malformed("a malformed header line: \(line.prefix(80))")
            }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            headers.append((line[..<colon].lowercased(), String(value)))
        }
        let response = Response(status: status, headers: headers)
        try skipBody(of: response)
        return response
    }

    private mutating func skipBody(of response: Response) throws(Malformed) {
        if (100..<200).contains(response.status) || response.status == 204 || response.status == 304 {
            return
        }
        if response.header("transfer-encoding")?.lowercased() == "chunked" {
            while true {
                guard let lineEnd = find([13, 10], from: position),
                    let size = Int(String(decoding: bytes[position..<lineEnd], as: UTF8.self), radix: 16)
                else { throw Malformed("a malformed chunk in a response body") }
                position = lineEnd + 2 + size + 2
                guard position <= bytes.count else { throw Malformed("a response chunk cut short") }
                if size == 0 { return }
            }
        }
        if let length = response.header("content-length") {
            guard let count = Int(length), count >= 0, position + count <= bytes.count else {
                throw Malformed("a response body shorter than its Content-Length \(length)")
            }
            position += count
            return
        }
        // No length: the body runs to the end of the connection.
        position = bytes.count
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0] && bytes[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// What made the bytes unreadable as responses.
    struct Malformed: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
