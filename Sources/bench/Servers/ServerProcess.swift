import Foundation
import Synchronization

/// One server under test, running as its own process, so that its CPU time and memory are its
/// own: a chapter program, its Node twin, or this program's raw NIO server.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    /// The port the server printed once it was listening.
    let port: Int
    /// What the server printed up to then.
    let banner: String

    /// Starts `executable` with `arguments` and waits (at most 30 s) for a line matching
    /// `listening`, whose first capture is the port. Its output is read and dropped after that,
    /// so that a server that logs every request never blocks on a full pipe.
    init(_ executable: String, _ arguments: [String], listening: Regex<(Substring, Substring)>) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        ServerProcess.running.withLock { _ = $0.insert(pid) }
        let reader = output.fileHandleForReading
        var seen = ""
        let deadline = Date().addingTimeInterval(30)
        while true {
            let chunk = reader.availableData
            guard !chunk.isEmpty else {
                throw BenchError("\(executable) exited before listening: \(seen)")
            }
            seen += String(decoding: chunk, as: UTF8.self)
            if let match = seen.firstMatch(of: listening), let port = Int(match.1) {
                self.port = port
                banner = seen
                break
            }
            if Date() > deadline { throw BenchError("\(executable) did not say it was listening: \(seen)") }
        }
        drainQuietly(reader.fileDescriptor)
    }

    /// Reads and drops the server's output from now on, without waking for every line: the
    /// chapter servers log each request or message, and a reader woken per line made the
    /// scheduler, not the server, the largest cost in the profile. The pipe is enlarged to
    /// 1 MiB and emptied every 50 ms, so the server never waits on it.
    private func drainQuietly(_ descriptor: Int32) {
        _ = fcntl(descriptor, 1031, 1 << 20)  // F_SETPIPE_SZ, which Glibc's module does not export
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        let pipe = output  // keeps the descriptor open for as long as the thread reads it
        Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                usleep(50_000)
                var count = 0
                repeat {
                    count = read(descriptor, &buffer, buffer.count)
                } while count > 0
                if count == 0 { break }  // the server is gone
            }
            _ = pipe
        }.start()
    }

    /// CPU time and memory as Linux reports them now.
    var stats: ProcessStats? { ProcessStats(pid: process.processIdentifier) }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to go.
    func stop() {
        let pid = process.processIdentifier
        ServerProcess.running.withLock { _ = $0.remove(pid) }
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    /// Every server still running, for `stopAllOnSignal`.
    private static let running = Mutex<Set<Int32>>([])

    /// Makes SIGINT and SIGTERM (Ctrl-C, `timeout`) stop every server before the bench exits,
    /// so that none is left behind; and unblocks them, since a parent may have blocked them
    /// and children inherit the mask.
    static func stopAllOnSignal() {
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                for pid in running.withLock({ $0 }) { kill(pid, SIGKILL) }
                exit(128 + number)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    /// Kept for the life of the program; only `stopAllOnSignal` touches it, once.
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []

    deinit { stop() }
}

/// A bench run that cannot go on, with the reason.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
