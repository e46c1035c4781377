import Foundation
import Testing

/// A program of this package (or a peer such as `node`) running as a child process, as a user
/// would run it, with its output collected for the test to wait on.
final class RunningProgram: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let stdout = Pipe()
    private let stderr = Pipe()
    private let lock = NSLock()
    private var state = Snapshot()
    private var waiters: [Int: Waiter] = [:]
    private var lastWaiterID = 0

    /// What the program has done so far.
    struct Snapshot {
        var output = ""
        var errors = ""
        var exitCode: Int32?
    }

    private struct Waiter {
        let check: (Snapshot) -> Bool
        let resume: CheckedContinuation<Snapshot, any Error>
    }

    let name: String

    /// Starts `executable` (a path) with `arguments`.
    init(_ executable: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws {
        name = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
        // Under coreutils' timeout, so that nothing a test starts outlives it by long, even when
        // the test fails before it stops the program; timeout passes our SIGTERM on to the child.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=5", "120", executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input
        stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in
            self?.received(handle.availableData, isError: false)
        }
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
            self?.received(handle.availableData, isError: true)
        }
        process.terminationHandler = { [weak self] process in self?.exited(process.terminationStatus) }
        try process.run()
    }

    /// One of this package's executables, from the build folder the tests run from.
    static func built(_ product: String, _ arguments: [String] = [], environment: [String: String] = [:])
        throws -> RunningProgram
    {
        try RunningProgram(
            buildFolder.appendingPathComponent(product).path, arguments, environment: environment)
    }

    /// The folder holding the test bundle, where SwiftPM also puts the executables.
    static var buildFolder: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Everything written to stdout so far.
    var standardOutput: String { lock.withLock { state.output } }
    /// Everything written to stderr so far.
    var standardError: String { lock.withLock { state.errors } }

    private func received(_ data: Data, isError: Bool) {
        guard !data.isEmpty else { return }
        let text = String(decoding: data, as: UTF8.self)
        update { state in
            if isError { state.errors += text } else { state.output += text }
        }
    }

    private func exited(_ status: Int32) {
        // Read what is left in the pipes first: the exit must not overtake the last lines.
        for (pipe, isError) in [(stdout, false), (stderr, true)] {
            pipe.fileHandleForReading.readabilityHandler = nil
            received(pipe.fileHandleForReading.readDataToEndOfFile(), isError: isError)
        }
        update { $0.exitCode = status }
    }

    /// Changes the state, then wakes every waiter whose condition now holds, and fails those that
    /// can no longer be satisfied because the program has exited.
    private func update(_ change: (inout Snapshot) -> Void) {
        let (ready, snapshot): ([Waiter], Snapshot) = lock.withLock {
            change(&state)
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
    func wait(_ what: String, seconds: Double = 20, until check: @escaping (Snapshot) -> Bool) async throws
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
    func waitForOutput(containing text: String, seconds: Double = 20) async throws -> String {
        try await wait("\"\(text)\" on stdout", seconds: seconds) { $0.output.contains(text) }.output
    }

    /// Waits until stderr contains `text`; returns all of stderr so far.
    @discardableResult
    func waitForErrorOutput(containing text: String, seconds: Double = 20) async throws -> String {
        try await wait("\"\(text)\" on stderr", seconds: seconds) { $0.errors.contains(text) }.errors
    }

    /// Waits for the program to exit on its own; returns its exit status.
    func waitForExit(seconds: Double = 30) async throws -> Int32 {
        try await wait("exit", seconds: seconds) { $0.exitCode != nil }.exitCode!
    }

    /// Writes `text` to the program's stdin.
    func type(_ text: String) {
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    /// Closes the program's stdin (Ctrl-D).
    func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    /// Stops the program if it is still running.
    func stop() {
        if process.isRunning { process.terminate() }
    }

    deinit { stop() }
}

/// A program did not do what the test waited for.
struct ProgramFailure: Error, CustomStringConvertible {
    let message: String
    let snapshot: RunningProgram.Snapshot

    init(message: String, _ snapshot: RunningProgram.Snapshot) {
        self.message = message
        self.snapshot = snapshot
    }

    var description: String {
        "\(message)\n--- stdout ---\n\(snapshot.output)\n--- stderr ---\n\(snapshot.errors)"
    }
}
