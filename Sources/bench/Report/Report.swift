import Foundation

/// The table printed at the end of a run.
enum Report {
    /// `1.52×`.
    static func ratio(_ value: Double) -> String { String(format: "%.2f×", value) }

    /// A number with as many digits as it deserves.
    static func number(_ value: Double) -> String {
        switch abs(value) {
        case 1000...: String(format: "%.0f", value)
        case 100...: String(format: "%.1f", value)
        default: String(format: "%.2f", value)
        }
    }

    static func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

    /// The whole report: per workload, one line per server, then ours ÷ Node and ours ÷ raw NIO.
    static func table(_ run: BenchRun) -> String {
        var lines = ["machine: \(run.machine.line)", "command: \(run.command)", ""]
        let header = pad(["", "", "main number", "p50 µs", "p99 µs", "CPU µs/op", "peak RSS"])
        for workload in run.workloads {
            var load = workload.loadClient
            if let busy = workload.loadClientBusy {
                load += String(format: ", busy %.0f%% of a core", busy * 100)
            }
            lines.append("\(workload.name): \(workload.title)  [\(workload.unit); load: \(load)]")
            lines.append(header)
            for implementation in Implementation.allCases {
                guard let measurement = workload[implementation] else { continue }
                var main = "\(number(measurement.value)) \(workload.unit)"
                if let lost = measurement.lost, lost > 0 { main += " (\(lost) lost)" }
                lines.append(
                    pad([
                        "", implementation.heading, main,
                        measurement.p50Microseconds.map(number) ?? "-",
                        measurement.p99Microseconds.map(number) ?? "-",
                        measurement.cpuMicrosecondsPerOperation.map(number) ?? "-",
                        mebibytes(measurement.peakResidentBytes),
                    ]))
            }
            if workload[.node] == nil, let ours = workload[.ours] {
                let lost = ours.lost ?? 0
                lines.append(
                    "  goal: every report acknowledged (no Node twin); \(lost) lost (\(lost == 0 ? "met" : "not met"))"
                )
                lines.append("")
                continue
            }
            var verdict = "goal: \(workload.goal.metric.rawValue) NodeNet ÷ Node \(workload.goal.text)"
            if let measured = workload.oursOverNode {
                verdict +=
                    ", measured \(ratio(measured)) (\(workload.goal.isMet(by: measured) ? "met" : "not met"))"
            }
            if let raw = workload.oursOverRaw { verdict += "; NodeNet ÷ raw NIO \(ratio(raw))" }
            lines.append("  " + verdict)
            if let each = everyRatio(workload) { lines.append("  NodeNet ÷ Node: " + each) }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// Ours over Node's for every number both have: the main one, latencies, CPU, peak memory.
    private static func everyRatio(_ workload: WorkloadResult) -> String? {
        guard let ours = workload[.ours], let node = workload[.node] else { return nil }
        let pairs: [(String, Double?, Double?)] = [
            ("main", ours.value, node.value),
            ("p50", ours.p50Microseconds, node.p50Microseconds),
            ("p99", ours.p99Microseconds, node.p99Microseconds),
            ("CPU/op", ours.cpuMicrosecondsPerOperation, node.cpuMicrosecondsPerOperation),
            ("peak RSS", Double(ours.peakResidentBytes), Double(node.peakResidentBytes)),
        ]
        return pairs.compactMap { name, ours, node in
            guard let ours, let node, node > 0 else { return nil }
            return "\(name) \(ratio(ours / node))"
        }.joined(separator: ", ")
    }

    private static func pad(_ cells: [String]) -> String {
        let widths = [2, 9, 34, 10, 10, 11, 11]
        return zip(cells, widths).map { cell, width in
            cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined()
    }
}
