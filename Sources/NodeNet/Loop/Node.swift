import Dispatch
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program the way `node script.js` does.
///
/// ```swift
/// Node.run {
///     net.createServer { socket in socket.write("hi") }.listen(3000)
/// }
/// ```
/// The closure is the script: it runs on the loop, sets up servers, sockets and timers, and returns.
/// The program then keeps running while any of them holds the loop, and exits by itself when none
/// does, with `process.exitCode`.
public enum Node {
    /// Runs `script` on the event loop until nothing holds the loop, then exits the process.
    public static func run(_ script: @escaping @NodeActor () -> Void) -> Never {
        exit(runUntilIdle(script))
    }

    /// Runs an `async` script: the loop is held until it returns, so it may `await` between steps.
    public static func run(_ script: @escaping @NodeActor () async -> Void) -> Never {
        exit(runUntilIdle(script))
    }

    /// Runs an `async` script and returns the exit code once it has returned and nothing holds the loop.
    public static func runUntilIdle(_ script: @escaping @NodeActor () async -> Void) -> Int32 {
        runUntilIdle { () -> Void in
            LoopLifetime.shared.hold()
            Task {
                await script()
                LoopLifetime.shared.release()
            }
        }
    }

    /// Runs `script` on the event loop and returns its exit code once nothing holds the loop.
    ///
    /// Use it to run several programs one after another in one process; `run` is for a `main`.
    public static func runUntilIdle(_ script: @escaping @NodeActor () -> Void) -> Int32 {
        // Output is read by people and by tests through pipes: one line must not wait for the next.
        setvbuf(CStandardStreams.output, nil, _IOLBF, 0)
        let finished = DispatchSemaphore(value: 0)
        let result = ExitCodeBox()
        nodeLoop.execute {
            NodeActor.assumeIsolated {
                LoopLifetime.shared.begin { code in
                    result.code = code
                    finished.signal()
                }
                script()
                LoopLifetime.shared.checkIdleSoon()
            }
        }
        finished.wait()
        return result.code
    }
}

/// Carries the exit code from the loop thread to the waiting thread; the semaphore orders the access.
private final class ExitCodeBox: @unchecked Sendable {
    var code: Int32 = 0
}

/// Counts what holds the loop (listening servers, open sockets, pending timers) and ends the run
/// when the count reaches zero, as libuv's `uv_run` returns when no referenced handle is active.
@NodeActor final class LoopLifetime {
    static let shared = LoopLifetime()

    private var holds = 0
    private var onIdle: ((Int32) -> Void)?
    private var checkScheduled = false

    func begin(onIdle: @escaping (Int32) -> Void) {
        self.onIdle = onIdle
    }

    func hold() { holds += 1 }

    func release() {
        holds -= 1
        precondition(holds >= 0, "a handle released the loop twice")
        if holds == 0 { checkIdleSoon() }
    }

    /// Checks on the next turn of the loop, so that a callback that drops one handle and opens
    /// another in the same breath does not end the program in between.
    func checkIdleSoon() {
        guard onIdle != nil, !checkScheduled else { return }
        checkScheduled = true
        afterIOBatch {
            LoopLifetime.shared.checkScheduled = false
            LoopLifetime.shared.endIfIdle()
        }
    }

    private func endIfIdle() {
        guard holds == 0, let onIdle else { return }
        self.onIdle = nil
        onIdle(process.exitCodeAtIdle())
    }
}

/// One handle's claim on the loop: held while the handle is active and referenced.
///
/// `ref()` and `unref()` are Node's: an unreferenced handle works as usual but does not, on its own,
/// keep the program alive. A value kept inside its handle: every socket and timer has one, and an
/// object of its own was one more allocation for each.
@NodeActor struct LoopHold {
    private var active = false
    private var referenced = true
    private var holding = false

    var isReferenced: Bool { referenced }

    mutating func activate() {
        active = true
        update()
    }

    mutating func deactivate() {
        active = false
        update()
    }

    mutating func ref() {
        referenced = true
        update()
    }

    mutating func unref() {
        referenced = false
        update()
    }

    private mutating func update() {
        let shouldHold = active && referenced
        guard shouldHold != holding else { return }
        holding = shouldHold
        if shouldHold { LoopLifetime.shared.hold() } else { LoopLifetime.shared.release() }
    }
}
