import Foundation

extension Process {
    /// Starts the process, one start at a time in the whole test binary.
    ///
    /// The tests start programs and peers from many threads at once, and swift-corelibs-foundation's
    /// `Process.run()` is not safe to call concurrently: once in a CI run (5db2c1c) the test binary
    /// crashed with SIGSEGV in a `memmove` inside `run()` while other threads were starting programs.
    /// A start takes milliseconds; the programs themselves still run side by side.
    public func runAlone() throws {
        ProcessStartLock.shared.lock()
        defer { ProcessStartLock.shared.unlock() }
        try run()
    }
}

/// The lock behind ``Foundation/Process/runAlone()``.
private enum ProcessStartLock {
    static let shared = NSLock()
}
