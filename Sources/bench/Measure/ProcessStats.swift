import Foundation

/// What Linux says about a server process: the CPU time it has used (all its threads, user and
/// system, those that have exited too) and its resident memory, now and at its peak.
struct ProcessStats {
    /// CPU time in seconds since the process started, to the nanosecond.
    let cpuSeconds: Double
    /// Resident set size now, in bytes (VmRSS).
    let residentBytes: Int
    /// The largest resident set size so far, in bytes (VmHWM).
    let peakResidentBytes: Int

    /// Reads the numbers for `pid`; nil once the process is gone.
    init?(pid: Int32) {
        // The process's CPU clock counts nanoseconds; /proc/PID/stat's 10 ms ticks were too coarse
        // for a one-second round of a server that idles between ping-pongs.
        var clock = clockid_t()
        var time = timespec()
        guard clock_getcpuclockid(pid, &clock) == 0, clock_gettime(clock, &time) == 0,
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        else { return nil }
        cpuSeconds = Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        func kibibytes(_ key: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(key + ":") }
            return Int(line?.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        residentBytes = kibibytes("VmRSS") * 1024
        peakResidentBytes = kibibytes("VmHWM") * 1024
    }
}
