import Foundation

/// Each exercise's last verdict, remembered with the hash of everything it was reached from: the
/// student's file, its test file, and the runtime and test-support sources. An exercise whose key
/// is unchanged is not run again. Exercises share one module: an exercise whose solution calls
/// another's code names it in `uses`, and the key holds that file too.
public struct VerdictCache: Sendable {
    /// One remembered verdict.
    struct Entry: Codable, Equatable {
        var key: String
        var state: KataProgress.State
    }

    private let file: URL
    private var entries: [String: Entry]

    /// The cache kept in `file` (empty when missing or unreadable).
    public init(file: URL) {
        self.file = file
        entries = (try? JSONDecoder().decode([String: Entry].self, from: Data(contentsOf: file))) ?? [:]
    }

    /// The state remembered for `exercise` under `key`, if its key is still `key`.
    public func state(of exercise: String, key: String) -> KataProgress.State? {
        entries[exercise].flatMap { $0.key == key ? $0.state : nil }
    }

    /// Remembers `state` for `exercise` under `key` and saves the cache. States that are not
    /// verdicts of a run (not started, unknown, does not compile) are not kept, nor a run that
    /// was stopped (on a busy machine a slow run may be stopped; the next check tries again).
    public mutating func remember(_ state: KataProgress.State, of exercise: String, key: String) {
        switch state {
        case .notStarted, .unknown, .doesNotCompile, .stuck: return
        default: break
        }
        entries[exercise] = Entry(key: key, state: state)
        try? FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? JSONEncoder().encode(entries).write(to: file, options: .atomic)
    }
}

/// A 64-bit FNV-1a hash, in hex: enough to tell whether files changed (not a security hash).
public struct ContentHash: Sendable {
    private var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// An empty hash.
    public init() {}

    /// Adds `bytes`, then a separator, so that ("ab", "c") and ("a", "bc") differ.
    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { mix(byte) }
        for byte in [0xff, 0x00] as [UInt8] { mix(byte) }
    }

    /// Adds a file's contents (a missing file counts as empty, with its own marker).
    public mutating func add(file: URL) {
        if let data = try? Data(contentsOf: file) { add(data) } else { add(Array("<missing>".utf8)) }
    }

    private mutating func mix(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }

    /// The hash so far, as 16 hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
