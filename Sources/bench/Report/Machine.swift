import Foundation

/// Where and when a run happened, for the report: numbers mean little without it.
struct Machine: Codable, Sendable {
    let cpu: String
    let cores: Int
    let memoryGiB: Double
    let kernel: String
    let node: String
    let date: String

    static func describe(node: String) -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map {
                String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces)
            }
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: name.release) {
            String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return Machine(
            cpu: model ?? "unknown",
            cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryGiB: (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
            kernel: "Linux \(release)",
            node: version(of: node),
            date: formatter.string(from: Date()))
    }

    private static func version(of node: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return "unknown" }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One line: `Intel Xeon …, 2 cores, 24 GiB, Linux 6.1, Node v20.20.2, 2026-11-29`.
    var line: String { "\(cpu), \(cores) cores, \(memoryGiB) GiB, \(kernel), Node \(node), \(date)" }
}

/// Everything a run produced, as the JSON file holds it.
struct BenchRun: Codable, Sendable {
    let machine: Machine
    let command: String
    let secondsPerRound: Double
    let warmupSeconds: Double
    let rounds: Int
    /// `--client-threads`: the SwiftNIO load client's event-loop threads.
    let clientThreads: Int
    let workloads: [WorkloadResult]
}
