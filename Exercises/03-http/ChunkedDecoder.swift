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
    /// The trailers that followed the last chunk, by lower-cased name (Node's `req.trailers`).
    public private(set) var trailers: [String: String] = [:]

    /// A decoder refusing chunks larger than `maxChunkSize` bytes.
    public init(maxChunkSize: Int = 16 * 1024 * 1024) {
        // Your code here.
    }

    /// Takes the next bytes; returns the body bytes they complete, and the end if it came.
    public mutating func push(_ bytes: [UInt8]) throws(ChunkedBodyError) -> ChunkedBodyOutput {
        // Your code here.
        ChunkedBodyOutput()
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
