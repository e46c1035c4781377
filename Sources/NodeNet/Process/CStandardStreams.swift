import CStdio

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// C's `stdout` and `stderr`, read through accessors Swift 6 can check (see `CStdio`).
enum CStandardStreams {
    static var output: UnsafeMutablePointer<FILE> { nodenet_stdout() }

    /// Writes `text` to stderr at once (stderr is unbuffered).
    static func printError(_ text: String) {
        fputs(text, nodenet_stderr())
    }
}
