/// Wrong join codes, by the address they came from: a student who mistypes the code read out in
/// the room tries again a few times; a program guessing codes tries thousands. Past
/// `ClassroomOptions.maxWrongCodes` wrong codes within `wrongCodeWindow`, an address is refused
/// (`429`, right code or not) until the oldest of them is that old; every other address joins as
/// before. Only the latest `limit` addresses are remembered, so a peer with many addresses cannot
/// grow this without bound (it can only spread its guesses thin).
struct JoinAttempts {
    /// How many wrong codes an address may send within `window`.
    let allowed: Int
    /// The window.
    let window: Duration
    /// The most addresses remembered.
    var limit = 4096

    private var wrong: [String: [ContinuousClock.Instant]] = [:]

    init(allowed: Int, window: Duration) {
        self.allowed = allowed
        self.window = window
    }

    /// How long `address` must wait before its next attempt, or nil if it may try now.
    mutating func wait(for address: String, at now: ContinuousClock.Instant) -> Duration? {
        let recent = (wrong[address] ?? []).filter { now - $0 < window }
        wrong[address] = recent.isEmpty ? nil : recent
        guard recent.count >= allowed, let oldest = recent.first else { return nil }
        return window - (now - oldest)
    }

    /// Counts a wrong code from `address`.
    mutating func wrongCode(from address: String, at now: ContinuousClock.Instant) {
        if wrong[address] == nil, wrong.count >= limit {
            // Forget what has expired; if every address is still recent, the one quiet longest.
            wrong = wrong.filter { now - ($0.value.last ?? now) < window }
            if wrong.count >= limit, let quietest = wrong.min(by: { $0.value.last! < $1.value.last! }) {
                wrong[quietest.key] = nil
            }
        }
        wrong[address, default: []].append(now)
    }

    /// How many addresses are remembered.
    var remembered: Int { wrong.count }
}
