import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on a file, released when this value is released or its process ends (so a
/// killed sender never leaves the lock behind).
public final class FileLock {
    private let descriptor: Int32

    /// Takes the lock on `file` (created if missing); without `waiting`, nil when another process
    /// holds it.
    public init?(_ file: URL, waiting: Bool) {
        descriptor = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        while flock(descriptor, LOCK_EX | (waiting ? 0 : LOCK_NB)) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                return nil
            }
        }
    }

    deinit {
        close(descriptor)  // closing the last descriptor releases the lock
    }
}
