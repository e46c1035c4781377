// Mutant: accepts a trailer line ending in a bare LF, dropping a CR only when there is one.
/// §3.2 (HTTP报文): a body sent with `Transfer-Encoding: chunked`, whose length nobody knew up
/// front.
///
/// The body is a series of chunks: the size in hex (either case) and CRLF, that many bytes, CRLF.
/// A size may be followed by extensions after a `;`, which are ignored. A chunk of size 0 ends the
/// body; trailer lines (`Name: value` CRLF) may follow it, then an empty line (CRLF). Bytes after
/// that belong to the next request on the connection.
///
/// Push the bytes as they arrive, cut anywhere. Each push returns the body bytes it completed,
/// and, once the final CRLF has arrived, `done` and the bytes after it. After `done`, every byte
/// pushed is leftover.
public struct ChunkedBodyDecoder {
    private enum State {
        case size(digits: Int, value: Int)
        case sizeLF(value: Int)
        case extensions(value: Int)
        case data(remaining: Int)
        case dataCR
        case dataLF
        case trailer(line: [UInt8])
        case done
    }

    private let maxChunkSize: Int
    private var state = State.size(digits: 0, value: 0)
    private var failure: ChunkedBodyError?

    /// The trailers that followed the last chunk, by lower-cased name (Node's `req.trailers`).
    public private(set) var trailers: [String: String] = [:]

    /// A decoder refusing chunks larger than `maxChunkSize` bytes.
    public init(maxChunkSize: Int = 16 * 1024 * 1024) {
        // Capped so that `value * 16 + digit` below can never overflow.
        self.maxChunkSize = min(maxChunkSize, Int.max / 16 - 16)
    }

    /// Takes the next bytes; returns the body bytes they complete, and the end if it came.
    public mutating func push(_ bytes: [UInt8]) throws(ChunkedBodyError) -> ChunkedBodyOutput {
        if let failure { throw failure }
        do {
            return try decode(bytes)
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func decode(_ bytes: [UInt8]) throws(ChunkedBodyError) -> ChunkedBodyOutput {
        if case .done = state { return ChunkedBodyOutput(done: true, leftover: bytes) }
        var output = ChunkedBodyOutput()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch state {
            case .size(let digits, let value):
                if let digit = hexValue(byte) {
                    let size = value * 16 + digit
                    // Refuse as soon as the size passes the limit, before any data is waited for.
                    if size > maxChunkSize { throw .chunkTooLarge }
                    state = .size(digits: digits + 1, value: size)
                } else if digits > 0 && byte == UInt8(ascii: ";") {
                    state = .extensions(value: value)
                } else if digits > 0 && byte == cr {
                    state = .sizeLF(value: value)
                } else if byte == lf {
                    throw .missingCRLF
                } else {
                    throw .invalidChunkSize
                }
            case .extensions(let value):
                if byte == cr {
                    state = .sizeLF(value: value)
                } else if byte == lf {
                    throw .missingCRLF
                }
            case .sizeLF(let value):
                guard byte == lf else { throw .missingCRLF }
                state = value == 0 ? .trailer(line: []) : .data(remaining: value)
            case .data(let remaining):
                // Copy as much of the chunk as this push holds, not byte by byte.
                let end = min(bytes.count, index + remaining)
                output.data += bytes[index..<end]
                state = end - index == remaining ? .dataCR : .data(remaining: remaining - (end - index))
                index = end
                continue
            case .dataCR:
                guard byte == cr else { throw .missingCRLF }
                state = .dataLF
            case .dataLF:
                guard byte == lf else { throw .missingCRLF }
                state = .size(digits: 0, value: 0)
            case .trailer(var line):
                guard byte == lf else {
                    line.append(byte)
                    state = .trailer(line: line)
                    break
                }
                if line.last == cr { line.removeLast() }
                if line.isEmpty {
                    state = .done
                    output.done = true
                } else {
                    addTrailer(line)
                    state = .trailer(line: [])
                }
            case .done:
                output.leftover = Array(bytes[index...])
                return output
            }
            index += 1
        }
        return output
    }

    private mutating func addTrailer(_ line: [UInt8]) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        var value = line[(colon + 1)...].drop(while: blank)
        while let last = value.last, blank(last) { value = value.dropLast() }
        let text = String(decoding: value, as: UTF8.self)
        trailers[name] = trailers[name].map { "\($0), \(text)" } ?? text
    }
}

/// What one push decoded.
public struct ChunkedBodyOutput: Equatable, Sendable {
    /// Body bytes, without the chunk sizes and line ends.
    public var data: [UInt8]
    /// Whether the body ended: the 0-size chunk, its trailers and the final CRLF have all arrived.
    public var done: Bool
    /// The bytes pushed after the body's end (the next request's), once `done`.
    public var leftover: [UInt8]

    /// An output with these parts.
    public init(data: [UInt8] = [], done: Bool = false, leftover: [UInt8] = []) {
        self.data = data
        self.done = done
        self.leftover = leftover
    }
}

/// Why a chunked body was refused.
public enum ChunkedBodyError: Error, Equatable, Sendable {
    /// A size line without hex digits, or with something other than `;` or CRLF after them
    /// (llhttp: `HPE_INVALID_CHUNK_SIZE`).
    case invalidChunkSize
    /// A size line, a chunk's data or a trailer line not followed by CRLF (llhttp: `HPE_STRICT`,
    /// or `HPE_CR_EXPECTED` for a bare LF).
    case missingCRLF
    /// A size above `maxChunkSize`, refused before its data is read (llhttp itself refuses only
    /// sizes that overflow 64 bits, as `HPE_INVALID_CHUNK_SIZE`).
    case chunkTooLarge
}

private let cr = UInt8(ascii: "\r")
private let lf = UInt8(ascii: "\n")

private func hexValue(_ byte: UInt8) -> Int? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
    default: nil
    }
}
