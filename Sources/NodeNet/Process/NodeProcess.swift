#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Node's `process`, as much of it as a network program needs: its exit code and its last resort
/// for errors nobody handled.
@NodeActor public final class NodeProcess: EventEmitter {
    /// The code the program exits with once the loop is empty (Node's `process.exitCode`).
    public var exitCode: Int32 = 0

    let standardInput = StandardInput()

    override init() {}

    /// An `error` event with no listener arrives here. With an `uncaughtException` listener the
    /// program goes on; without one it prints the error, as Node does, and exits with code 1.
    func uncaught(_ error: (any Error)?, from emitter: EventEmitter) {
        let error = error ?? NodeError(code: .unhandledError, message: "Unhandled error.")
        if emit(.uncaughtException, error) { return }
        CStandardStreams.printError("Uncaught 'error' event from \(emitter.traceLabel)\n\(error)\n")
        exit(1)
    }
}

extension Event where Emitter: NodeProcess, Payload == any Error {
    /// An `error` event nobody listened for. Listening for it keeps the program alive.
    public static var uncaughtException: Self { Self("uncaughtException") }
}

/// The running program, like Node's global `process`.
@NodeActor public let process = NodeProcess()
