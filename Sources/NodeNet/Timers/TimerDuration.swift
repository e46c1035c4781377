import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How Node turns a number of milliseconds into a timer's duration. Its timers count in a 32-bit
/// signed integer (`TIMEOUT_MAX`, 2³¹ − 1 ms, about 24.8 days), so longer delays cannot be kept.
/// Node does not crash on one, and neither may we: `TimeAmount` counts nanoseconds in 64 bits, and
/// `Int.max` milliseconds would overflow it.
enum TimerDuration {
    /// Node's `TIMEOUT_MAX`.
    static let maximum = 2_147_483_647

    /// `setTimeout`/`setInterval`'s delay: below 1 ms it is 1 ms; past `TIMEOUT_MAX` it is also 1 ms
    /// (Node's odd but documented choice), with Node's `TimeoutOverflowWarning` on stderr.
    static func delay(_ milliseconds: Int) -> TimeAmount {
        guard milliseconds <= maximum else {
            warn("\(milliseconds) does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.")
            return .milliseconds(1)
        }
        return .milliseconds(Int64(max(1, milliseconds)))
    }

    /// `socket.setTimeout`'s idle time: past `TIMEOUT_MAX` it is cut to `TIMEOUT_MAX`, with the
    /// warning Node gives for it.
    static func idle(_ milliseconds: Int) -> TimeAmount {
        guard milliseconds <= maximum else {
            warn(
                "\(milliseconds) does not fit into a 32-bit signed integer.\n"
                    + "Timer duration was truncated to \(maximum).")
            return .milliseconds(Int64(maximum))
        }
        return .milliseconds(Int64(max(0, milliseconds)))
    }

    /// The moment `milliseconds` after `start`, for a server's own timeouts (`headersTimeout`,
    /// `requestTimeout`, `keepAliveTimeout`): Node takes any non-negative integer there and simply
    /// never reaches a huge one, so a sum past what `NIODeadline` holds is "never", not a trap.
    static func deadline(_ milliseconds: Int, after start: NIODeadline) -> NIODeadline {
        let (nanoseconds, overflow) = Int64(clamping: milliseconds).multipliedReportingOverflow(by: 1_000_000)
        guard !overflow, nanoseconds < Int64.max / 2 else {
            return .distantFuture
        }
        return start + .nanoseconds(nanoseconds)
    }

    /// Prints a warning as Node's `process.emitWarning` does, to stderr.
    private static func warn(_ message: String) {
        CStandardStreams.printError("(nodenet:\(getpid())) TimeoutOverflowWarning: \(message)\n")
    }
}
