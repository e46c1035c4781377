import NIOCore

/// The one place that turns reading a connection on and off (SwiftNIO's `autoRead`).
///
/// Several parties may want the kernel left alone, each for its own reason: the socket whose
/// buffer is full, the program that has not started reading, HTTP when a body's reader or the
/// client's pipelined requests are behind. Reading goes on only once no reason is left, so one
/// party's "go on" cannot undo another's "stop".
struct ReadDemand {
    /// Why reading is stopped; several may hold at once.
    struct Reasons: OptionSet {
        let rawValue: UInt8

        /// The socket holds a high-water mark's worth of bytes nobody has taken (in Node, `push`
        /// returned false and libuv stopped reading).
        static let bufferFull = Reasons(rawValue: 1 << 0)
        /// Nothing is read, not even the peer's FIN, until the program reads (`resume()` or a
        /// `data` listener): a server's `pauseOnConnect`, or a protocol handing the socket over.
        static let untilResumed = Reasons(rawValue: 1 << 1)
        /// HTTP: the reader of a message's body is behind.
        static let bodyBackPressure = Reasons(rawValue: 1 << 2)
        /// HTTP: the answers to pipelined requests are backing up.
        static let pipelineBackPressure = Reasons(rawValue: 1 << 3)
        /// WebSocket: the pongs that answer the peer's pings are backing up (it pings and does
        /// not read).
        static let answersBackedUp = Reasons(rawValue: 1 << 4)
    }

    /// The reasons in force; reading goes on when there are none.
    private(set) var reasons: Reasons = []

    /// Stops reading `channel` for `reason` (at once: the socket runs on the channel's loop).
    mutating func stop(for reason: Reasons, on channel: (any Channel)?) {
        let wasReading = reasons.isEmpty
        reasons.insert(reason)
        if wasReading { Self.setReading(false, on: channel) }
    }

    /// Takes `reason` back; reading goes on if no other reason holds. Returns whether `reason`
    /// held.
    @discardableResult
    mutating func allow(for reason: Reasons, on channel: (any Channel)?) -> Bool {
        guard reasons.remove(reason) != nil else { return false }
        if reasons.isEmpty { Self.setReading(true, on: channel) }
        return true
    }

    /// Brings a channel that has just connected in line with the reasons already held.
    func apply(to channel: any Channel) {
        if !reasons.isEmpty { Self.setReading(false, on: channel) }
    }

    private static func setReading(_ reading: Bool, on channel: (any Channel)?) {
        // A channel that has closed meanwhile refuses the option; there is nothing left to read.
        channel?.setOption(ChannelOptions.autoRead, value: reading).whenFailure { _ in }
    }
}
