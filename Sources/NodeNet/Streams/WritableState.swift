/// The writable half of a Node stream (Node's `_writableState`): the bytes written but not yet
/// handed over, when `write` says to wait and when `drain` is owed, and how far `end()` has come.
/// ``Socket`` and ``OutgoingMessage`` keep one each and do the I/O and the emitting; this holds
/// the rules.
struct WritableState {
    /// How far the writer's end has come.
    enum End {
        /// More may be written.
        case open
        /// `end()` was called; bytes written before it may still be going out.
        case ending
        /// Every byte is out and the end itself (a socket's FIN) is on its way.
        case finishing
        /// `finish` has fired.
        case finished
    }

    /// Why a write is refused before anything is queued.
    enum Refusal {
        /// `end()` was called: Node's `ERR_STREAM_WRITE_AFTER_END`.
        case afterEnd
        /// The stream is destroyed: Node's `ERR_STREAM_DESTROYED`, told to the callback alone.
        case destroyed

        /// The error the write's callback gets.
        var error: NodeError {
            switch self {
            case .afterEnd: .writeAfterEnd
            case .destroyed: .writeAfterDestroy
            }
        }
    }

    /// The amount waiting at which `write` returns false (Node 20: 16384).
    var highWaterMark: Int
    /// Bytes written but not yet handed over (Node's `writableLength`).
    private(set) var length = 0
    /// A `write` returned false and its `drain` has not come yet.
    private(set) var owesDrain = false
    private(set) var end = End.open
    /// What `end(callback)` asked to run at `finish`, before `finish`'s listeners (as Node's
    /// `kOnFinished`).
    private var atFinish: [@NodeActor () -> Void] = []

    init(highWaterMark: Int = 16384) {
        self.highWaterMark = highWaterMark
    }

    /// Whether `end()` has been called (Node's `writableEnded`).
    var ended: Bool { end != .open }

    /// Whether `finish` has fired (Node's `writableFinished`).
    var finished: Bool { end == .finished }

    /// Node's `writableNeedDrain`: a `drain` is owed and still will come. Once `end()` is called
    /// none will.
    var needsDrain: Bool { owesDrain && end == .open }

    /// Why a write is refused now, in Node's order: after `end()` first, then destroyed.
    func refusal(destroyed: Bool) -> Refusal? {
        if ended { return .afterEnd }
        if destroyed { return .destroyed }
        return nil
    }

    /// `count` bytes are written and wait to be handed over.
    mutating func queue(_ count: Int) {
        length += count
    }

    /// What `write` returns once the writer has tried to hand its bytes over: whether less than a
    /// high-water mark's worth still waits. A false answer owes the writer a `drain`.
    mutating func answer() -> Bool {
        answer(belowMark: length < highWaterMark)
    }

    /// The same when the writer's own target gave the answer (a message's connection).
    mutating func answer(belowMark: Bool) -> Bool {
        if !belowMark { owesDrain = true }
        return belowMark
    }

    /// `count` bytes have been handed over.
    mutating func handedOver(_ count: Int) {
        length -= count
    }

    /// Whether `drain` is due now, and if so records it as emitted: a `write` returned false,
    /// nothing waits any more, and `end()` has not been called (after it Node emits no `drain`).
    mutating func takeDrain() -> Bool {
        guard owesDrain, length == 0, end == .open else { return false }
        owesDrain = false
        return true
    }

    /// `end()` was called; false if it already had been.
    mutating func beginEnding() -> Bool {
        guard end == .open else { return false }
        end = .ending
        return true
    }

    /// Keeps `callback` to run at `finish`; false if `finish` has already fired (Node then calls
    /// it at once, with `ERR_STREAM_ALREADY_FINISHED`).
    mutating func runAtFinish(_ callback: @escaping @NodeActor () -> Void) -> Bool {
        guard end != .finished else { return false }
        atFinish.append(callback)
        return true
    }

    /// Whether the end itself is due: `end()` was called and every byte before it is out.
    var endIsDue: Bool { end == .ending && length == 0 }

    /// The end itself (a socket's FIN) is on its way.
    mutating func endSent() {
        end = .finishing
    }

    /// Records `finish`; returns what `end(callback)` kept, to run before `finish`'s listeners,
    /// or nil if `finish` already fired or `end()` was never called.
    mutating func finish() -> [@NodeActor () -> Void]? {
        guard end == .ending || end == .finishing else { return nil }
        end = .finished
        defer { atFinish = [] }
        return atFinish
    }

    /// The stream is destroyed before `finish`: the kept callbacks will not run (Node would call
    /// them with an error) and are let go, with whatever they hold.
    mutating func destroyed() {
        atFinish = []
    }
}
