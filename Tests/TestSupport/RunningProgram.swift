import Foundation
import Testing

/// A program of this package (or a peer such as `node`) running as a child process, as a user
/// would run it, with its output collected for the test to wait on.
public final class RunningProgram: @unchecked Sendable {
    /// Nil only if the start failed (`deinit` still runs then, and stops nothing).
    private var child: SpawnedChild?
    private let input = closedOnExec(Pipe())
    private let stdout = closedOnExec(Pipe())
    private let stderr = closedOnExec(Pipe())
    private let lock = NSLock()
    /// Guards `inputOpen` (apart from `lock`: a write to a full pipe may block).
    private let inputLock = NSLock()
    private var inputOpen = true
    private var state = Snapshot()
    private var waiters: [Int: Waiter] = [:]
    private var lastWaiterID = 0

    /// What the program has done so far.
    public struct Snapshot: Sendable {
        /// Everything written to stdout so far.
        public var output = ""
        /// Everything written to stderr so far.
        public var errors = ""
        /// The exit status, once the program has exited and both pipes are read to their end.
        public var exitCode: Int32?
        var outputBytes: [UInt8] = []
        var errorBytes: [UInt8] = []
        /// The exit status, before both pipes have been read to their end.
        var status: Int32?
        var openPipes = 2
        var graceOver = false
    }

    private struct Waiter {
        let check: (Snapshot) -> Bool
        let resume: CheckedContinuation<Snapshot, any Error>
    }

    /// The program and its arguments, for messages.
    public let name: String

    /// Starts `executable` (a path) with `arguments`; its stdin is a pipe the test writes to
    /// (``type(_:)``), or the file at `standardInput` (`< file` in a shell; `/dev/null` for a
    /// program run with no input).
    public init(
        _ executable: String, _ arguments: [String] = [], environment: [String: String] = [:],
        standardInput: String? = nil
    ) throws {
        name = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
        // Under coreutils' timeout, so that nothing a test starts outlives it by long, even when
        // the test fails before it stops the program; timeout passes our SIGTERM on to the child.
        // At a lower priority (nice 10) than the test process: on two cores dozens of programs
        // and peers run beside the tests, and the one event loop that every in-process test
        // shares must not be starved of CPU time, or their waits run out. `nice` and `timeout`
        // exec, so the process is still the program's.
        // No symbolicated backtrace when a program traps (some tests make one trap on purpose):
        // Swift's backtracer spends seconds of CPU on a debug binary, which starves every test.
        let environment = ProcessInfo.processInfo.environment.merging(
            ["SWIFT_BACKTRACE": "enable=no"].merging(environment) { $1 }
        ) { $1 }
        let file = try standardInput.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) }
        defer { try? file?.close() }
        child = try SpawnedChild(
            "/usr/bin/nice",
            ["-n", "10", "/usr/bin/timeout", "--kill-after=5", "120", executable] + arguments,
            environment: environment, input: (file ?? input.fileHandleForReading).fileDescriptor,
            output: stdout.fileHandleForWriting.fileDescriptor,
            errors: stderr.fileHandleForWriting.fileDescriptor
        ) { [weak self] status in self?.exited(status) }
        // The child has its copies; the pipes end when it (and whatever it started) closes them.
        for end in [input.fileHandleForReading, stdout.fileHandleForWriting, stderr.fileHandleForWriting] {
            try? end.close()
        }
        for (pipe, isError) in [(stdout, false), (stderr, true)] { startReading(pipe, isError: isError) }
    }

    /// A pipe inherited by another child stays open while that child lives: a server started by
    /// one test kept another test's pipe open and hung it. `SpawnedChild` closes what a child
    /// inherits, but the kata runner's `ChildProcess`, which KataRunnerTests run in this process,
    /// does not: close-on-exec keeps the pipes out of its children too. This program's own
    /// copies, made by dup2 onto 0, 1 and 2, do not inherit the flag.
    private static func closedOnExec(_ pipe: Pipe) -> Pipe {
        for handle in [pipe.fileHandleForReading, pipe.fileHandleForWriting] {
            _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC)
        }
        return pipe
    }

    /// One of this package's executables, from the build folder the tests run from.
    public static func built(
        _ product: String, _ arguments: [String] = [], environment: [String: String] = [:],
        standardInput: String? = nil
    )
        throws -> RunningProgram
    {
        try RunningProgram(
            buildFolder.appendingPathComponent(product).path, arguments, environment: environment,
            standardInput: standardInput)
    }

    /// The folder holding the test bundle, where SwiftPM also puts the executables.
    public static var buildFolder: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Everything written to stdout so far.
    public var standardOutput: String { lock.withLock { state.output } }
    /// Everything written to stderr so far.
    public var standardError: String { lock.withLock { state.errors } }

    /// Reads one of the program's pipes on a thread of its own until its end: plain blocking
    /// reads, because Foundation's readability handler now and then missed the end of a pipe.
    /// The thread keeps the pipe, so its descriptor stays open for as long as it reads, and
    /// closes it at the end, not when the test lets the program go: a test process with
    /// hundreds of programs would otherwise keep thousands of descriptors.
    private func startReading(_ pipe: Pipe, isError: Bool) {
        Thread { [weak self] in
            let descriptor = pipe.fileHandleForReading.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                self?.update { state in
                    // Decoded whole each time: a character may straddle two reads.
                    if isError {
                        state.errorBytes += buffer[..<count]
                        state.errors = String(decoding: state.errorBytes, as: UTF8.self)
                    } else {
                        state.outputBytes += buffer[..<count]
                        state.output = String(decoding: state.outputBytes, as: UTF8.self)
                    }
                }
            }
            try? pipe.fileHandleForReading.close()
            self?.update { $0.openPipes -= 1 }
        }.start()
    }

    /// Never blocks. The program counts as exited once both pipes have reached their end, so
    /// that the exit does not overtake its last lines; or two seconds after the exit if a child
    /// of its own still holds them.
    private func exited(_ status: Int32) {
        // Nothing reads stdin any more: its descriptor goes back, as the output pipes' do.
        closeInput()
        update { $0.status = status }
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [weak self] in
            self?.update { $0.graceOver = true }
        }
    }

    /// Changes the state, then wakes every waiter whose condition now holds, and fails those that
    /// can no longer be satisfied because the program has exited.
    private func update(_ change: (inout Snapshot) -> Void) {
        let (ready, snapshot): ([Waiter], Snapshot) = lock.withLock {
            change(&state)
            if state.exitCode == nil, state.openPipes == 0 || state.graceOver {
                state.exitCode = state.status
            }
            let ready = waiters.filter { $0.value.check(state) || state.exitCode != nil }
            for id in ready.keys { waiters[id] = nil }
            return (Array(ready.values), state)
        }
        for waiter in ready {
            if waiter.check(snapshot) {
                waiter.resume.resume(returning: snapshot)
            } else {
                waiter.resume.resume(throwing: ProgramFailure(message: "\(name) exited first", snapshot))
            }
        }
    }

    /// Waits until `check` holds for what the program has done, for at most `seconds`.
    public func wait(_ what: String, seconds: Double = 20, until check: @escaping (Snapshot) -> Bool)
        async throws
        -> Snapshot
    {
        let id = lock.withLock {
            lastWaiterID += 1
            return lastWaiterID
        }
        let deadline = Task {
            try await Task.sleep(for: .seconds(seconds))
            self.fail(
                id, ProgramFailure(message: "timed out after \(seconds) s waiting for \(what)", self.snapshot)
            )
        }
        defer { deadline.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let now: Snapshot? = lock.withLock {
                if check(state) { return state }
                waiters[id] = Waiter(check: check, resume: continuation)
                return nil
            }
            if let now { continuation.resume(returning: now) }
            if lock.withLock({ state.exitCode != nil }) { update { _ in } }
        }
    }

    private var snapshot: Snapshot { lock.withLock { state } }

    private func fail(_ id: Int, _ error: ProgramFailure) {
        let waiter = lock.withLock { waiters.removeValue(forKey: id) }
        waiter?.resume.resume(throwing: error)
    }

    /// Waits until stdout contains `text`; returns all of stdout so far.
    @discardableResult
    public func waitForOutput(containing text: String, seconds: Double = 20) async throws -> String {
        try await wait("\"\(text)\" on stdout", seconds: seconds) { $0.output.contains(text) }.output
    }

    /// Waits until stderr contains `text`; returns all of stderr so far.
    @discardableResult
    public func waitForErrorOutput(containing text: String, seconds: Double = 20) async throws -> String {
        try await wait("\"\(text)\" on stderr", seconds: seconds) { $0.errors.contains(text) }.errors
    }

    /// Waits for the program to exit on its own; returns its exit status.
    public func waitForExit(seconds: Double = 30) async throws -> Int32 {
        try await wait("exit", seconds: seconds) { $0.exitCode != nil }.exitCode!
    }

    /// Writes `text` to the program's stdin.
    public func type(_ text: String) {
        inputLock.withLock {
            guard inputOpen else { return }
            input.fileHandleForWriting.write(Data(text.utf8))
        }
    }

    /// Closes the program's stdin (Ctrl-D).
    public func closeInput() {
        inputLock.withLock {
            guard inputOpen else { return }
            inputOpen = false
            try? input.fileHandleForWriting.close()
        }
    }

    /// The pid of the process started: `timeout`'s, whose child is the program itself.
    public var processIdentifier: Int32 { child?.pid ?? 0 }

    /// Stops the program if it is still running.
    public func stop() {
        if let child, isRunning { kill(child.pid, SIGTERM) }
    }

    /// Whether `timeout` (and so the program) has not exited yet.
    private var isRunning: Bool { lock.withLock { state.status == nil } }

    /// Kills the program with SIGKILL, at once, with no chance to clean up (a crash, a power
    /// cut). `timeout` runs the program in a process group of its own, whose id is the pid we
    /// started, and SIGKILL cannot be passed on: the whole group is sent it.
    public func killNow() {
        if let child, isRunning { _ = kill(-child.pid, SIGKILL) }
    }

    deinit { stop() }
}

/// A program did not do what the test waited for.
public struct ProgramFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// What the program had done by then.
    public let snapshot: RunningProgram.Snapshot

    init(message: String, _ snapshot: RunningProgram.Snapshot) {
        self.message = message
        self.snapshot = snapshot
    }

    /// The failure with everything the program printed.
    public var description: String {
        "\(message)\n--- stdout ---\n\(snapshot.output)\n--- stderr ---\n\(snapshot.errors)"
    }
}
