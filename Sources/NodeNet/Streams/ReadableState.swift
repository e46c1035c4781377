/// The readable half of a Node stream (Node's `_readableState`): whether `data` flows, the
/// bytes nobody has taken yet, and the end that waits for them. ``Socket`` and
/// ``IncomingMessage`` keep one each and do the emitting; this holds the rules.
struct ReadableState {
    /// Node's `readableFlowing`.
    enum Flow {
        /// Nobody has read yet (Node's `null`): chunks are kept, a `data` listener starts the flow.
        case notYet
        /// `data` goes out as chunks arrive.
        case flowing
        /// `pause()` was called: chunks are kept until `resume()`.
        case paused
    }

    /// How far the stream's end has come.
    enum End {
        /// More may come.
        case open
        /// The end has come, but chunks before it have not been taken yet.
        case received
        /// `end` has been emitted.
        case emitted
    }

    /// The amount kept at which the source should stop (Node 20: 16384).
    let highWaterMark: Int
    private(set) var flow = Flow.notYet
    private(set) var end = End.open
    /// Chunks kept, oldest first.
    private var kept: [Buffer] = []
    /// Bytes kept (Node's `readableLength`).
    private(set) var length = 0

    init(highWaterMark: Int = 16384) {
        self.highWaterMark = highWaterMark
    }

    /// Whether a high-water mark's worth is kept: the source should stop until it is taken.
    var isFull: Bool { length >= highWaterMark }

    /// Whether nothing is kept.
    var isEmpty: Bool { kept.isEmpty }

    /// A chunk arrived. Returns it if it goes out as `data` now (flowing, nothing kept before
    /// it); otherwise keeps it, in order, and returns nil.
    mutating func push(_ chunk: Buffer) -> Buffer? {
        if flow == .flowing && kept.isEmpty { return chunk }
        kept.append(chunk)
        length += chunk.count
        return nil
    }

    /// The source has ended: nothing more will be pushed.
    mutating func pushEnd() {
        if end == .open { end = .received }
    }

    /// Whether `end` is due: it has come and everything before it has been taken.
    var endIsDue: Bool { end == .received && kept.isEmpty }

    /// Records that `end` is emitted now; false if it already was.
    mutating func endEmitted() -> Bool {
        guard end != .emitted else { return false }
        end = .emitted
        return true
    }

    /// Stops `data`; chunks are kept.
    mutating func pause() {
        flow = .paused
    }

    /// Starts or restarts `data`. Returns whether the flow was off, so kept chunks (and a due
    /// `end`) are to be delivered.
    mutating func resume() -> Bool {
        guard flow != .flowing else { return false }
        flow = .flowing
        return true
    }

    /// The next kept chunk to emit as `data`, while flowing.
    mutating func nextWhileFlowing() -> Buffer? {
        guard flow == .flowing, !kept.isEmpty else { return nil }
        let chunk = kept.removeFirst()
        length -= chunk.count
        return chunk
    }

    /// Takes every kept chunk and starts over as a new stream does: nobody reading yet. For a
    /// protocol handing its connection over with the bytes it had not read.
    mutating func takeAllForHandover() -> Buffer {
        let bytes = Buffer.concat(kept)
        kept = []
        length = 0
        flow = .notYet
        return bytes
    }
}
