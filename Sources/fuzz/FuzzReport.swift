import Foundation

/// What a run did, for the terminal and for the README's numbers.
struct FuzzReport {
    let target: String
    let seed: UInt64
    let corpus: URL
    var tried = 0
    var seconds = 0.0
    var workers = 0
    var outcomes: [String: Int] = [:]
    var crashes = 0
    var hangs = 0
    var violations = 0
    var peakMemory = 0
    /// Each crash, hang and violation, with where its input was saved.
    var findings: [String] = []

    init(target: String, seed: UInt64, corpus: URL) {
        self.target = target
        self.seed = seed
        self.corpus = corpus
    }

    mutating func add(_ worker: WorkerResult) {
        tried += worker.result.tried
        outcomes.merge(worker.result.outcomes, uniquingKeysWith: +)
        peakMemory = max(peakMemory, worker.peakMemory)
    }

    var text: String {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path).count) ?? 0
        let rate = seconds > 0 ? Int(Double(tried) / seconds) : 0
        var lines = [
            "fuzz \(target): seed \(seed), corpus \(corpus.path) (\(files) files)",
            "inputs: \(tried) in \(String(format: "%.1f", seconds)) s (\(rate)/s), \(workers) worker processes",
            "distinct outcomes: \(outcomes.count)",
            "crashes: \(crashes), hangs: \(hangs), invariant violations: \(violations)",
            "peak worker memory: \(peakMemory / (1024 * 1024)) MiB",
            "most common outcomes:",
        ]
        lines += outcomes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(12).map {
            "  \(String($0.value).padding(toLength: 9, withPad: " ", startingAt: 0)) \($0.key)"
        }
        if !findings.isEmpty { lines += ["findings:"] + findings.prefix(20).map { "  " + $0 } }
        return lines.joined(separator: "\n")
    }
}
