/// What one server did in one workload, over all its rounds.
struct Measurement: Codable, Sendable {
    /// The workload's main number: per second for a load, KiB per connection for memory.
    var value: Double
    /// The main number of each round, in the order they ran.
    var rounds: [Double] = []
    var p50Microseconds: Double?
    var p99Microseconds: Double?
    /// Server CPU time (user + system, every thread) per operation, over warm-up and window.
    var cpuMicrosecondsPerOperation: Double?
    /// The server's largest resident set, at the end of the workload.
    var peakResidentBytes: Int
    /// Datagrams that got no answer within 200 ms (UDP only).
    var lost: Int?
}

/// One workload's row of the report.
struct WorkloadResult: Codable, Sendable {
    let name: String
    let title: String
    let unit: String
    let goal: Workload.Goal
    /// Which load client, on how many threads (`SwiftNIO client, 2 threads`).
    var loadClient = ""
    /// How many of the load client's threads carried connections: the most in any round (a
    /// workload with one connection runs on one, whatever `--client-threads` says).
    var clientThreads = 0
    var results: [String: Measurement] = [:]
    /// How busy the load client's process was during the rounds, in cores (1 = one core all the
    /// time): near its thread count, the client, not the server, set the pace.
    var loadClientBusy: Double?

    subscript(_ implementation: Implementation) -> Measurement? { results[implementation.rawValue] }

    /// `metric` of `implementation` divided by Node's.
    func ratio(_ implementation: Implementation, _ metric: Workload.Goal.Metric) -> Double? {
        guard let ours = value(implementation, metric), let node = value(.node, metric), node > 0 else {
            return nil
        }
        return ours / node
    }

    /// Ours divided by raw NIO, on the goal's metric: how much our layer costs.
    var oursOverRaw: Double? {
        guard let ours = value(.ours, goal.metric), let raw = value(.raw, goal.metric), raw > 0 else {
            return nil
        }
        return ours / raw
    }

    /// Ours divided by Node, on the goal's metric.
    var oursOverNode: Double? { ratio(.ours, goal.metric) }

    private func value(_ implementation: Implementation, _ metric: Workload.Goal.Metric) -> Double? {
        guard let measurement = self[implementation] else { return nil }
        switch metric {
        case .throughput, .memoryPerConnection: return measurement.value
        case .cpuPerOperation: return measurement.cpuMicrosecondsPerOperation
        }
    }
}
