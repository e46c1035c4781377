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

    /// Set while `exit` listeners run: `process.exit()` called from one exits at once, as in Node.
    private var exiting = false

    override init() {}

    /// Ends the program now, as Node's `process.exit(code)`: sets ``exitCode`` if `code` is given,
    /// emits `exit` with it, writes out what is buffered for stdout (stderr is unbuffered) and
    /// exits with ``exitCode`` (an `exit` listener may still change it). Pending timers, sockets and
    /// servers are dropped; called from an `exit` listener, it exits at once.
    ///
    /// It ends the whole process, also when `Node.runUntilIdle` runs several programs in one.
    public func exit(_ code: Int32? = nil) -> Never {
        if let code { exitCode = code }
        if !exiting {
            exiting = true
            emit(.exit, exitCode)
        }
        fflush(CStandardStreams.output)
        terminate(exitCode)
    }

    /// Runs `callback` as soon as the current callback returns, before the loop goes on to other
    /// I/O, immediates, timers or resumed tasks, as Node's `process.nextTick`; callbacks it queues
    /// run in the same turn.
    ///
    /// One difference remains: Swift has no microtask queue, so a `Task` started in a callback runs
    /// after the current batch of I/O, where Node runs a promise's `then` before the next I/O callback.
    public func nextTick(_ callback: @escaping @NodeActor () -> Void) {
        TickQueue.shared.add(callback)
    }

    /// The loop ran out of work: `exit` listeners run and may change the code, as in Node.
    func exitCodeAtIdle() -> Int32 {
        exiting = true
        emit(.exit, exitCode)
        exiting = false
        return exitCode
    }

    /// While `uncaughtException` listeners run, the emitter whose `error` nobody listened for, as
    /// `NODENET_TRACE` names it (`Socket(server)#12`). Node's listeners do not learn it; a test
    /// harness that turns such errors into failures uses it to say where one came from.
    @_spi(Testing) public private(set) var uncaughtErrorEmitter: String?

    /// An `error` event with no listener arrives here. With an `uncaughtException` listener the
    /// program goes on; without one it prints the error, as Node does, and exits with code 1.
    func uncaught(_ error: (any Error)?, from emitter: EventEmitter) {
        let error = error ?? NodeError(code: .unhandledError, message: "Unhandled error.")
        uncaughtErrorEmitter = emitter.traceLabel
        defer { uncaughtErrorEmitter = nil }
        if emit(.uncaughtException, error) { return }
        CStandardStreams.printError("Uncaught 'error' event from \(emitter.traceLabel)\n\(error)\n")
        exit(1)
    }
}

/// C's `exit`, which `NodeProcess.exit` hides inside the class.
private func terminate(_ code: Int32) -> Never {
    exit(code)
}

extension Event where Emitter: NodeProcess, Payload == Int32 {
    /// The program is about to exit, with this code: the loop ran out of work, `process.exit()`
    /// was called, or an error nobody handled ends it. Only synchronous work can still run.
    public static var exit: Self { Self("exit") }
}

extension Event where Emitter: NodeProcess, Payload == any Error {
    /// An `error` event nobody listened for. Listening for it keeps the program alive.
    public static var uncaughtException: Self { Self("uncaughtException") }
}

/// The running program, like Node's global `process`.
@NodeActor public let process = NodeProcess()
