import NodeNet

/// Writes a long stream to a socket as §1.3 teaches: until `write` returns false, then again at
/// `drain`, then `end()`. The bytes are four distinct 64 KiB patterns in turn, built once (the
/// loop thread is shared with other tests), and every byte sent goes into `sent`.
@NodeActor public final class PatternedWriter {
    private static let chunk = 64 * 1024
    private static let patterns = (0..<4).map { seed in
        Buffer((0..<chunk).map { UInt8(truncatingIfNeeded: ($0 &* 31) ^ (seed &* 0x55)) })
    }

    private let socket: Socket
    /// How many bytes to write in all (a multiple of 64 KiB).
    public let total: Int
    /// A SHA-256 of every byte handed to `write` so far.
    public let sent: Hash
    /// Bytes handed to `write` so far.
    public private(set) var offset = 0
    /// How many times `write` returned false.
    public private(set) var heldBack = 0

    /// A writer of `total` bytes to `socket`; `start()` begins.
    public init(total: Int, into socket: Socket) throws {
        self.total = total
        self.socket = socket
        sent = try crypto.createHash("sha256")
    }

    /// Writes until `write` says stop, and goes on at each `drain`.
    public func start() {
        while offset < total {
            let piece = Self.patterns[(offset / Self.chunk) % Self.patterns.count]
            sent.update(piece)
            offset += Self.chunk
            if !socket.write(piece) {
                heldBack += 1
                socket.once(.drain) { self.start() }
                return
            }
        }
        socket.end()
    }
}

/// Reads a stream to its `end`: `subscribe` adds the `data` and `end` listeners it is given and
/// starts the flow; returns how many bytes came and their SHA-256 (hex), to compare with a
/// ``PatternedWriter``'s `sent`.
@NodeActor
public func readToTheEnd(
    seconds: Int = 120, _ subscribe: (_ data: @escaping DataListener, _ end: @escaping EndListener) -> Void
) async throws -> (count: Int, sha256: String) {
    let received = try crypto.createHash("sha256")
    var count = 0
    try await waitFor("every byte, then end", seconds: seconds) { done in
        subscribe(
            { data in
                received.update(data)
                count += data.count
            }, done)
    }
    return (count, received.digest(.hex))
}

/// A `data` listener.
public typealias DataListener = @NodeActor (Buffer) -> Void
/// An `end` listener.
public typealias EndListener = @NodeActor () -> Void
