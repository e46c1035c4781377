import FuzzKit

/// What a worker prints when its batch is done, and how the parent reads it back: one fact a
/// line, `tried N`, `memory BYTES`, `outcome COUNT TEXT`, `violation INDEX TEXT`.
struct WorkerResult {
    var result: RoundResult
    var peakMemory: Int

    var lines: String {
        var lines = ["tried \(result.tried)", "memory \(peakMemory)"]
        lines += result.outcomes.sorted { $0.key < $1.key }.map { "outcome \($0.value) \($0.key)" }
        lines += result.violations.map { "violation \($0.index) \($0.message)" }
        return lines.joined(separator: "\n")
    }

    init(result: RoundResult, peakMemory: Int) {
        self.result = result
        self.peakMemory = peakMemory
    }

    /// Reads a finished worker's output; nil when it did not finish (no `tried` line).
    init?(parsing text: String) {
        var result = RoundResult()
        var peakMemory = 0
        var finished = false
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, let number = Int(parts[1]) else { continue }
            let rest = parts.count > 2 ? String(parts[2]) : ""
            switch parts[0] {
            case "tried":
                result.tried = number
                finished = true
            case "memory": peakMemory = number
            case "outcome": result.outcomes[rest, default: 0] += number
            case "violation": result.violations.append((UInt64(number), rest))
            default: break
            }
        }
        guard finished else { return nil }
        self.init(result: result, peakMemory: peakMemory)
    }
}
