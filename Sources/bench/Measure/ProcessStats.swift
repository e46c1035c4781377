import Foundation

/// What Linux's /proc says about a server process: the CPU time it has used (all its threads,
/// user and system) and its resident memory, now and at its peak.
struct ProcessStats {
    /// CPU time in seconds since the process started.
    let cpuSeconds: Double
    /// Resident set size now, in bytes (VmRSS).
    let residentBytes: Int
    /// The largest resident set size so far, in bytes (VmHWM).
    let peakResidentBytes: Int

    /// Reads the numbers for `pid`; nil once the process is gone.
    init?(pid: Int32) {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let closing = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may hold spaces) start at field 3; utime and
        // stime are fields 14 and 15, in clock ticks.
        let fields = stat[stat.index(after: closing)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            return nil
        }
        cpuSeconds = (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        func kibibytes(_ key: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(key + ":") }
            return Int(line?.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        residentBytes = kibibytes("VmRSS") * 1024
        peakResidentBytes = kibibytes("VmHWM") * 1024
    }
}
