import Foundation

/// What a classroom server can cost the student at most, however slow, silent or talkative it is.
/// Each has a default; `KATA_REPORT_…` in the environment changes it (the tests shorten the waits).
struct Limits: Sendable {
    /// The longest one exchange may take, connecting, TLS, request and whole answer together, in
    /// ms: a server that never answers, or drips its answer, is given up on.
    var exchangeMilliseconds = 10_000
    /// The largest answer read, in bytes: an acknowledgement is tens of bytes and a CA certificate
    /// a few thousand, so anything larger is cut off and refused.
    var maxAnswerBytes = 64 * 1024
    /// How long the background sender keeps trying while the server cannot be reached, in seconds;
    /// then the report waits in the outbox for the next check.
    var retrySeconds = 600
    /// The longest pause between two tries, in ms (the first is 1 s, then doubling). A newer
    /// report ends the pause at once.
    var maxPauseMilliseconds = 10_000

    /// The defaults, changed by `KATA_REPORT_EXCHANGE_MS`, `KATA_REPORT_MAX_ANSWER_BYTES`,
    /// `KATA_REPORT_RETRY_SECONDS` and `KATA_REPORT_MAX_PAUSE_MS` where set.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Limits
    {
        var limits = Limits()
        func read(_ name: String, into value: inout Int) {
            if let text = environment[name], let number = Int(text), number >= 0 { value = number }
        }
        read("KATA_REPORT_EXCHANGE_MS", into: &limits.exchangeMilliseconds)
        read("KATA_REPORT_MAX_ANSWER_BYTES", into: &limits.maxAnswerBytes)
        read("KATA_REPORT_RETRY_SECONDS", into: &limits.retrySeconds)
        read("KATA_REPORT_MAX_PAUSE_MS", into: &limits.maxPauseMilliseconds)
        return limits
    }
}
