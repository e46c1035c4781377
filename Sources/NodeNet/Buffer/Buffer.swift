import NIOCore

/// Node's `Buffer`: a run of bytes, as a socket's `data` event delivers them.
///
/// It wraps SwiftNIO's `ByteBuffer`, so bytes read from a socket reach a listener, and go back out
/// through `write`, without being copied.
public struct Buffer: Sendable, Hashable {
    /// The bytes, as SwiftNIO holds them (readable bytes only).
    public var storage: ByteBuffer

    /// Wraps bytes SwiftNIO read or produced.
    public init(_ storage: ByteBuffer) {
        self.storage = storage
    }

    /// Copies `bytes`.
    public init(_ bytes: some Sequence<UInt8>) {
        storage = ByteBuffer(bytes: bytes)
    }

    /// The UTF-8 bytes of `string`, like `Buffer.from(string)`.
    public init(_ string: String) {
        storage = ByteBuffer(string: string)
    }

    /// `Buffer.alloc(size)`: `size` zero bytes. A size below 0 or above ``maxLength`` stops the
    /// program with Node's `ERR_OUT_OF_RANGE` message (Node throws it).
    public static func alloc(_ size: Int, fill: UInt8 = 0) -> Buffer {
        // Node throws ERR_OUT_OF_RANGE with these words; a Swift program traps with them.
        if !(0...maxLength).contains(size) {
            preconditionFailure(
                NodeError.outOfRange("size", mustBe: ">= 0 && <= \(maxLength)", received: size).message)
        }
        // One fill of the whole buffer: copied byte by byte from a sequence, a debug build took
        // seconds for 10 MiB, and held the loop (every other callback) all that time.
        return Buffer(ByteBuffer(repeating: fill, count: size))
    }

    /// The largest buffer `alloc` makes, as Node 20's `buffer.constants.MAX_LENGTH` (4 GiB).
    public static let maxLength = 1 << 32

    /// `Buffer.from(string)`.
    public static func from(_ string: String) -> Buffer { Buffer(string) }

    /// `Buffer.from(bytes)`.
    public static func from(_ bytes: [UInt8]) -> Buffer { Buffer(bytes) }

    /// `Buffer.concat(list)`: one buffer holding all of `buffers`, in order.
    public static func concat(_ buffers: [Buffer]) -> Buffer {
        var joined = ByteBuffer()
        joined.reserveCapacity(buffers.reduce(0) { $0 + $1.count })
        for buffer in buffers { joined.writeImmutableBuffer(buffer.storage) }
        return Buffer(joined)
    }

    /// Node's `length`.
    public var length: Int { storage.readableBytes }

    /// The bytes as an array.
    public var bytes: [UInt8] { Array(storage.readableBytesView) }

    /// `buf.toString(encoding)`: UTF-8 by default (ill-formed sequences become U+FFFD, as in Node).
    public func toString(_ encoding: Encoding = .utf8) -> String {
        switch encoding {
        case .utf8: return String(decoding: storage.readableBytesView, as: UTF8.self)
        case .hex: return Encoding.hex(storage.readableBytesView)
        case .base64: return Encoding.base64(Array(storage.readableBytesView))
        case .latin1:
            return String(String.UnicodeScalarView(storage.readableBytesView.map { Unicode.Scalar($0) }))
        }
    }

    /// `buf.subarray(start, end)`: the bytes from `start` up to, not including, `end`.
    public func subarray(_ start: Int, _ end: Int? = nil) -> Buffer {
        let end = Swift.min(end ?? count, count)
        let start = Swift.max(0, Swift.min(start, end))
        return Buffer(storage.getSlice(at: storage.readerIndex + start, length: end - start)!)
    }
}

extension Buffer: RandomAccessCollection {
    /// The first index, always 0.
    public var startIndex: Int { 0 }
    /// One past the last byte.
    public var endIndex: Int { storage.readableBytes }

    /// The byte at `index`.
    public subscript(index: Int) -> UInt8 {
        precondition(indices.contains(index), "Buffer index \(index) out of range 0..<\(count)")
        return storage.getInteger(at: storage.readerIndex + index)!
    }
}

extension Buffer: ExpressibleByStringLiteral {
    /// `let b: Buffer = "你好"` holds the UTF-8 bytes.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}

extension Buffer: CustomStringConvertible {
    /// As Node's `util.inspect` shows it: `<Buffer e4 bd a0 e5 a5 bd>`, at most 50 bytes.
    public var description: String {
        let shown = storage.readableBytesView.prefix(50).map { Encoding.hexByte($0) }
        let more = count > 50 ? " ... \(count - 50) more bytes" : ""
        return "<Buffer" + shown.map { " " + $0 }.joined() + more + ">"
    }
}

/// The byte-to-text encodings of Node's `buf.toString(encoding)` and `hash.digest(encoding)`.
public enum Encoding: String, Sendable {
    /// UTF-8 text.
    case utf8
    /// Two lower-case hex digits a byte.
    case hex
    /// RFC 4648 base64, with padding.
    case base64
    /// One character a byte (ISO-8859-1).
    case latin1

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map(hexByte).joined()
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = bytes[start..<Swift.min(start + 3, bytes.count)]
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 63] : "=")
            }
        }
        return out
    }
}
