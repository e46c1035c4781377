import NIOCore
import NIOHTTP1

/// What a connection learns from ``MessageFraming``.
@NodeActor protocol MessageFramingDelegate: AnyObject, Sendable {
    /// The first byte of a message arrived (llhttp's `on_message_begin`): Node starts a request's
    /// `headersTimeout` here.
    func messageBegan()
    /// A chunk-size line carried more than ``MessageFraming/maxChunkExtensionsSize`` bytes of
    /// extensions; nothing after them reaches the decoder.
    func chunkExtensionsOverflowed()
}

/// How the body after a head is framed, as far as ``MessageFraming`` follows it.
enum BodyFraming: Equatable {
    /// No body: the next byte starts the next message.
    case none
    /// A body of `Content-Length` bytes.
    case length(Int)
    /// `Transfer-Encoding: chunked`.
    case chunked
    /// Not followed: the body runs to the end of the connection, or the bytes after the head
    /// belong to another protocol (an upgrade, CONNECT).
    case untracked

    /// A request's body, as llhttp frames it.
    init(request head: HTTPRequestHead) {
        self =
            head.method == .CONNECT || head.asksToUpgrade
            ? .untracked : BodyFraming(head.headers, otherwise: .none)
    }

    /// A response's body, which also depends on the request's method and the status.
    init(response head: HTTPResponseHead, method: HTTPMethod?) {
        let code = head.status.code
        if code == 101 {
            self = .untracked
        } else if code < 200 || code == 204 || code == 304 || method == .HEAD {
            self = .none
        } else {
            // Without a length a response ends with the connection.
            self = BodyFraming(head.headers, otherwise: .untracked)
        }
    }

    private init(_ headers: HTTPHeaders, otherwise: BodyFraming) {
        if headers.contains(name: "transfer-encoding") {
            let codings = headers["transfer-encoding"].joined(separator: ",").split(separator: ",")
            self =
                codings.last?.trimmingWhitespace().caseInsensitiveEquals("chunked") == true
                ? .chunked : .untracked
        } else if let length = headers.first(name: "content-length") {
            let count = Int(length[...].trimmingWhitespace())
            self = count.map { $0 == 0 ? .none : .length($0) } ?? .untracked
        } else {
            self = otherwise
        }
    }
}

/// Follows HTTP/1 message boundaries in the bytes on their way to SwiftNIO's decoder, for what
/// llhttp's callbacks tell Node and SwiftNIO does not pass on: when a message begins, and how
/// long a chunk-size line's extensions run (Node's limit, its fix for CVE-2024-22019).
///
/// The decoder still judges every byte; this only counts. Each head is handed to the decoder on
/// its own, so that the framing the decoder read from it (``headDecoded(_:)``) applies from the
/// very next byte. Bytes that break the framing end the following, and the decoder refuses them.
final class MessageFraming: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Node's `kMaxChunkExtensionsSize`: the bytes of extension names and values one chunk-size
    /// line may carry; past it, `413` (server) or `HPE_CHUNK_EXTENSIONS_OVERFLOW` (client).
    static let maxChunkExtensionsSize = 16 * 1024

    private enum State: Equatable {
        /// In a head; `bytes` counts its bytes after any empty lines before it, `lastFour` holds
        /// its last four bytes (the head ends with CR LF CR LF).
        case head(bytes: Int, lastFour: UInt32)
        case body(remaining: Int)
        /// In a chunk-size line: the size read so far, then (after `;`) the extension bytes.
        case chunkSize(size: Int, digits: Int, extensionBytes: Int?)
        case chunkSizeLF(size: Int)
        case chunkData(remaining: Int)
        case chunkDataCR
        case chunkDataLF
        /// After the last chunk: trailer lines, up to an empty one.
        case trailers(lineBytes: Int, sawCR: Bool)
        case untracked
        case overflowed
    }

    private let delegate: any MessageFramingDelegate
    private var state = State.head(bytes: 0, lastFour: 0)
    /// Set by ``scan(_:from:)`` when it stops at the end of a head.
    private var headEnded = false
    /// What the decoder read from the head just handed to it.
    private var decodedFraming: BodyFraming?
    /// The method of the request being answered (a client's framing depends on it).
    var requestMethod: HTTPMethod?

    init(delegate: any MessageFramingDelegate) {
        self.delegate = delegate
    }

    /// The decoder read a head (called by the handler after the decoder, while this one is
    /// handing the head over).
    func headDecoded(_ framing: BodyFraming) {
        decodedFraming = framing
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .untracked: return context.fireChannelRead(data)
        case .overflowed: return
        default: break
        }
        let bytes = unwrapInboundIn(data)
        var forwarded = 0
        let count = bytes.readableBytes
        var offset = 0
        bytes.withUnsafeReadableBytes { view in
            while offset < count, state != .untracked, state != .overflowed {
                offset = scan(view, from: offset)
                guard headEnded else { continue }
                headEnded = false
                // The head goes to the decoder alone; what it read decides how the rest is framed.
                decodedFraming = nil
                context.fireChannelRead(
                    wrapInboundOut(
                        bytes.getSlice(at: bytes.readerIndex + forwarded, length: offset - forwarded)!))
                forwarded = offset
                enterBody(decodedFraming)
            }
        }
        if state == .overflowed {
            NodeActor.run(delegate) { delegate in delegate.chunkExtensionsOverflowed() }
            return
        }
        if forwarded < count {
            context.fireChannelRead(
                wrapInboundOut(bytes.getSlice(at: bytes.readerIndex + forwarded, length: count - forwarded)!))
        }
    }

    private func enterBody(_ framing: BodyFraming?) {
        switch framing {
        // No head came of it (only empty lines), or a body-less message: the next head.
        case nil, .none?: state = .head(bytes: 0, lastFour: 0)
        case .length(let count)?: state = .body(remaining: count)
        case .chunked?: state = .chunkSize(size: 0, digits: 0, extensionBytes: nil)
        case .untracked?: state = .untracked
        }
    }

    /// Follows the framing from `offset`; returns where it stopped: the end of the bytes, or
    /// just after a head (with `headEnded` set).
    private func scan(_ view: UnsafeRawBufferPointer, from start: Int) -> Int {
        var offset = start
        while offset < view.count {
            let byte = view[offset]
            offset += 1
            switch state {
            case .head(let bytes, let lastFour):
                offset = scanHead(view, from: offset - 1, bytes: bytes, lastFour: lastFour)
                if headEnded { return offset }
            case .body(let remaining):
                let taken = min(remaining, view.count - offset + 1)
                offset += taken - 1
                state =
                    remaining == taken ? .head(bytes: 0, lastFour: 0) : .body(remaining: remaining - taken)
            case .chunkSize(let size, let digits, let extensionBytes):
                state = chunkSizeLine(byte, size: size, digits: digits, extensionBytes: extensionBytes)
            case .chunkSizeLF(let size):
                guard byte == lf else {
                    state = .untracked
                    break
                }
                state = size == 0 ? .trailers(lineBytes: 0, sawCR: false) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let taken = min(remaining, view.count - offset + 1)
                offset += taken - 1
                state = remaining == taken ? .chunkDataCR : .chunkData(remaining: remaining - taken)
            case .chunkDataCR:
                state = byte == cr ? .chunkDataLF : .untracked
            case .chunkDataLF:
                state = byte == lf ? .chunkSize(size: 0, digits: 0, extensionBytes: nil) : .untracked
            case .trailers(let lineBytes, let sawCR):
                if byte == cr {
                    state = .trailers(lineBytes: lineBytes, sawCR: true)
                } else if byte == lf && sawCR {
                    // An empty line ends the message.
                    state =
                        lineBytes == 0 ? .head(bytes: 0, lastFour: 0) : .trailers(lineBytes: 0, sawCR: false)
                } else {
                    state = .trailers(lineBytes: lineBytes + 1, sawCR: false)
                }
            case .untracked, .overflowed:
                return view.count
            }
        }
        return offset
    }

    /// A head's bytes from `start`, up to its end (then `headEnded` is set) or the end of the
    /// bytes. A loop of its own, with the count in locals: the state is written once, where it
    /// stops, not for every byte of every head.
    private func scanHead(
        _ view: UnsafeRawBufferPointer, from start: Int, bytes: Int, lastFour: UInt32
    ) -> Int {
        var offset = start
        var bytes = bytes
        var four = lastFour
        defer { state = .head(bytes: bytes, lastFour: four) }
        while offset < view.count {
            let byte = view[offset]
            offset += 1
            if bytes == 0 {
                // Empty lines before a head are skipped, as llhttp skips them.
                if byte == cr || byte == lf { continue }
                NodeActor.run(delegate) { delegate in delegate.messageBegan() }
            }
            bytes += 1
            four = four << 8 | UInt32(byte)
            if four == 0x0D0A_0D0A {
                headEnded = true
                return offset
            }
        }
        return offset
    }

    /// One byte of `size[;name[=value]]… CR LF`. Node counts the names and values of the
    /// extensions, so the separators and blanks between them are not counted here either.
    private func chunkSizeLine(_ byte: UInt8, size: Int, digits: Int, extensionBytes: Int?) -> State {
        if byte == cr { return digits > 0 ? .chunkSizeLF(size: size) : .untracked }
        if let extensionBytes {
            if byte == UInt8(ascii: ";") || byte == UInt8(ascii: "=") || byte == space || byte == tab {
                return .chunkSize(size: size, digits: digits, extensionBytes: extensionBytes)
            }
            let total = extensionBytes + 1
            if total > Self.maxChunkExtensionsSize { return .overflowed }
            return .chunkSize(size: size, digits: digits, extensionBytes: total)
        }
        if let value = hexValue(byte) {
            // llhttp takes any number of leading zeros and refuses only a size that overflows
            // 64 bits; this stops following a size long before that (then the decoder judges).
            return size <= Int.max >> 8
                ? .chunkSize(size: size << 4 | value, digits: digits + 1, extensionBytes: nil) : .untracked
        }
        if digits > 0 && (byte == UInt8(ascii: ";") || byte == space || byte == tab) {
            return .chunkSize(size: size, digits: digits, extensionBytes: 0)
        }
        return .untracked
    }

    private func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}

private let cr = UInt8(ascii: "\r")
private let lf = UInt8(ascii: "\n")
private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")

extension HTTPRequestHead {
    /// Whether llhttp reads this head as an upgrade, so that neither it nor SwiftNIO's decoder
    /// parses what follows as HTTP: `Connection` has the token `upgrade`, and an `Upgrade` line
    /// has a value. An empty `Upgrade:` is no upgrade to llhttp (it sets its flag at the value's
    /// first byte), and reading it as one would hand the socket to the `upgrade` listener while
    /// the decoder went on parsing the bytes after it as the next request.
    var asksToUpgrade: Bool {
        headers["upgrade"].contains { !$0.isEmpty }
            && headers["connection"].contains { $0.hasToken("upgrade") }
    }
}
