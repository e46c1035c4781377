import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program the runner starts (`swift build`, the kata test binary) and keeps on a leash: it runs
/// in a process group of its own, so the whole group is killed when its deadline passes, when it
/// takes too much memory, when the run is cancelled, or when `kata` itself is stopped.
public enum ChildProcess {
    /// How a child ended.
    public enum Ending: Sendable, Equatable {
        /// It exited by itself with this status.
        case exited(Int32)
        /// A signal ended it (a Swift runtime trap is SIGILL or SIGTRAP).
        case signalled(Int32)
        /// It was still running at its deadline, so it was killed.
        case timedOut
        /// It took more memory than allowed (an endless loop that collects), so it was killed.
        case tooMuchMemory
        /// The run was cancelled (a newer save in `kata watch`), so it was killed.
        case cancelled
    }

    /// What a child did: how it ended and everything it wrote (stdout and stderr together).
    public struct Result: Sendable {
        /// How it ended.
        public var ending: Ending
        /// Its output, stdout and stderr interleaved as written.
        public var output: String
    }

    /// The limits a child runs under.
    public struct Limits: Sendable {
        /// Seconds until it is killed; nil: no deadline.
        public var seconds: Double?
        /// Seconds of CPU time (user and system) at which it is killed, checked on Linux only: an
        /// endless loop burns CPU, while a slow test on a busy machine mostly waits.
        public var cpuSeconds: Double?
        /// Resident memory at which it is killed, in bytes (checked on Linux only); nil: no limit.
        public var memory: Int?
        /// Whether a child over a limit first gets a few seconds to print where it was (see
        /// ``ChildProcess/backtraceSeconds``), or is killed at once because nobody reads it.
        public var backtrace = true

        /// Limits of `seconds`, `cpuSeconds` and `memory`.
        public init(seconds: Double? = nil, cpuSeconds: Double? = nil, memory: Int? = nil) {
            self.seconds = seconds
            self.cpuSeconds = cpuSeconds
            self.memory = memory
        }
    }

    /// How much nicer than this process the children on a leash start from now on (as
    /// `nice -n`); 0 unless set.
    ///
    /// A test run sets it: on two cores the `swift build`s its runner tests start would otherwise
    /// take an even share of the CPU from the event loop that every in-process test waits on.
    public static var niceness: Int32 {
        get { startingNiceness.withLock { $0 } }
        set { startingNiceness.withLock { $0 = newValue } }
    }
    private static let startingNiceness = Mutex<Int32>(0)

    /// Runs `executable` with `arguments` (in this process's directory: pass the package to
    /// SwiftPM with `--package-path`), with `environment` added to this process's own, and waits for it within `limits`. Its output goes to a temporary file, not a
    /// pipe, so a child that writes a lot never blocks on a reader.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        limits: Limits = Limits(), cancellation: Cancellation? = nil
    ) throws -> Result {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kata-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let pid = try spawn(executable, arguments, environment: environment, output: log)
        let ending = wait(for: pid, limits: limits, cancellation: cancellation)
        let output = (try? Data(contentsOf: log)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Result(ending: ending, output: output)
    }

    /// Starts `executable` in a session of its own, its output appended to `log`, and returns at
    /// once: it outlives `kata` and is never stopped with it (the classroom's sender, which has
    /// limits of its own). Its exit is collected on a thread, so a long `kata watch` leaves no zombie.
    public static func startDetached(_ executable: String, _ arguments: [String], log: URL) throws {
        let pid = try spawn(executable, arguments, environment: [:], placement: .detached(log: log))
        Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }.start()
    }

    /// Runs `executable` on `kata`'s own terminal (stdin, stdout and stderr) and waits for it:
    /// for a program the student talks to. Returns its exit status (128 + the signal that ended it).
    public static func runInForeground(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> Int32 {
        let pid = try spawn(executable, arguments, environment: environment, placement: .foreground)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Where a child's streams go, and how it is tied to `kata`.
    private enum Placement {
        /// In a process group of its own, stopped with `kata`; stdout and stderr to a new file.
        case leashed(output: URL)
        /// In a session of its own, outliving `kata`; stdout and stderr appended to a file.
        case detached(log: URL)
        /// In `kata`'s group, with its terminal.
        case foreground
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], output: URL
    ) throws -> pid_t {
        let niceness = niceness
        // Through `nice`, which sets it before the program starts (a renice after spawning races
        // a short child); what the program starts inherits it.
        let (executable, arguments) =
            niceness == 0 ? (executable, arguments) : ("nice", ["-n", "\(niceness)", executable] + arguments)
        let pid = try spawn(
            executable, arguments, environment: environment, placement: .leashed(output: output))
        Children.shared.add(pid, log: output)
        return pid
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], placement: Placement
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        switch placement {
        case .leashed(let output):
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            // Its own group, so that killing the group reaches whatever it starts.
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        case .detached(let log):
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            // Its own session: neither the terminal's Ctrl-C nor its closing reaches it.
            flags |= spawnNewSession
        case .foreground:
            break
        }
        // Nothing else of ours goes with it: a listening socket a child inherited (SwiftNIO's
        // are not close-on-exec) would keep its port taken after its server closed, for as long
        // as the child lives (a sender retrying for minutes).
        _ = addCloseFrom?(&actions, 3)
        // Default signal handling and no blocked signal, whatever `kata` itself ignores or blocks.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for string in argv + envp { free(string) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw KataError("could not start \(executable): \(String(cString: strerror(status)))")
        }
        return pid
    }

    private static func wait(for pid: pid_t, limits: Limits, cancellation: Cancellation?) -> Ending {
        let start = Date()
        var stoppedFor: Ending?
        var stoppedAt = Date.distantFuture
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                kill(-pid, SIGKILL)  // whatever it started goes with it
                Children.shared.remove(pid)
                if let stoppedFor { return stoppedFor }
                let signal = status & 0x7f
                return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
            }
            if stoppedFor == nil {
                if cancellation?.isCancelled == true {
                    stoppedFor = .cancelled
                    kill(-pid, SIGKILL)
                } else if let seconds = limits.seconds, Date().timeIntervalSince(start) > seconds {
                    stoppedFor = .timedOut
                } else if let seconds = limits.cpuSeconds, cpuTime(of: pid) > seconds {
                    stoppedFor = .timedOut
                } else if let memory = limits.memory, residentMemory(of: pid) > memory {
                    stoppedFor = .tooMuchMemory
                }
                if stoppedFor == .timedOut || stoppedFor == .tooMuchMemory {
                    // SIGABRT first: Swift's runtime then prints every thread's backtrace, which
                    // says where the code was looping. It gets a few seconds for that.
                    kill(limits.backtrace ? pid : -pid, limits.backtrace ? SIGABRT : SIGKILL)
                    stoppedAt = Date()
                }
            } else if Date().timeIntervalSince(stoppedAt) > backtraceSeconds
                || cancellation?.isCancelled == true
            {
                kill(-pid, SIGKILL)
            }
            usleep(10_000)
        }
    }

    /// The child's side of `posix_spawn`: its file actions, and the lowest descriptor to close.
    private typealias CloseFrom =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
    /// module does not show: the child closes every descriptor from the given one up.
    private static let addCloseFrom: CloseFrom? = {
        #if canImport(Glibc)
            dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
                unsafeBitCast($0, to: CloseFrom.self)
            }
        #else
            nil
        #endif
    }()

    /// How long a child stopped with SIGABRT may take to print its backtrace.
    static let backtraceSeconds = 8.0

    /// The CPU time the child has used, user and system, in seconds (0 where /proc is missing).
    private static func cpuTime(of pid: pid_t) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return 0 }
        // After the command's name: state is field 3, utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            return 0
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The child's resident memory in bytes (0 where /proc is missing).
    private static func residentMemory(of pid: pid_t) -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

#if os(Linux)
    /// glibc's `POSIX_SPAWN_SETSID`, which its header declares only under `_GNU_SOURCE`.
    private let spawnNewSession: Int32 = 0x80
#else
    private let spawnNewSession = Int32(POSIX_SPAWN_SETSID)
#endif

/// A flag a run checks while it waits: set it and the run's children are killed.
public final class Cancellation: Sendable {
    private let flag = Mutex(false)
    /// A flag not yet set.
    public init() {}
    /// Whether `cancel()` was called.
    public var isCancelled: Bool { flag.withLock { $0 } }
    /// Cancels the run.
    public func cancel() { flag.withLock { $0 = true } }
}

/// Every child still running, so that stopping `kata` (Ctrl-C, `kill`) stops them too: each runs
/// in its own process group, which the terminal's Ctrl-C does not reach.
public final class Children: Sendable {
    /// The one registry of this process.
    public static let shared = Children()
    /// Each running child, with the file its output goes to.
    private let running = Mutex<[pid_t: URL]>([:])

    func add(_ pid: pid_t, log: URL) { running.withLock { $0[pid] = log } }
    func remove(_ pid: pid_t) { running.withLock { _ = $0.removeValue(forKey: pid) } }

    /// Kills every running child's group, and removes its output file.
    public func killAll() {
        for (pid, log) in running.withLock({ $0 }) {
            kill(-pid, SIGKILL)
            try? FileManager.default.removeItem(at: log)
        }
    }

    /// Makes SIGINT, SIGTERM and SIGHUP kill every child's group, then end `kata` as the signal
    /// would have.
    public func stopAllOnSignal() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Children.shared.killAll()
                exit(128 + number)
            }
            source.resume()
            // Kept for the life of the program: a released source stops listening.
            _ = Unmanaged.passRetained(source as AnyObject)
        }
    }
}
