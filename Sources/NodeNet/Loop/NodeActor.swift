import NIOCore
import NIOPosix

/// The one event-loop thread of a program, as libuv's loop is Node's.
///
/// SwiftNIO plays libuv's part. Every socket, server and timer of a program lives on this loop.
let nodeLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

/// The event loop every NodeNet handle runs on.
let nodeLoop: any EventLoop = nodeLoopGroup.next()

/// The isolation of a Node-style program: all its callbacks run here, one at a time, in order.
///
/// `NodeActor`'s executor *is* the SwiftNIO event loop, so a callback runs on the loop thread with
/// no hop, and a `Task {}` started inside a callback inherits this actor: its `await`s resume on the
/// same loop, between events, as a resolved promise does in Node.
@globalActor public actor NodeActor {
    /// The shared instance the `@NodeActor` attribute refers to.
    public static let shared = NodeActor()

    /// The SwiftNIO event loop, seen as a Swift concurrency executor.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        nodeLoop.executor.asUnownedSerialExecutor()
    }

    /// Runs `operation` as `@NodeActor` code, given that the caller is already on the loop thread,
    /// then (if this is the outermost such call) the `nextTick` queue, as Node does after each
    /// callback it makes into JavaScript.
    ///
    /// SwiftNIO calls channel handlers on the loop thread but outside any Swift task; this is how the
    /// runtime's handlers step into `@NodeActor` code. It traps if called from another thread.
    static func assumeIsolated<T: Sendable>(_ operation: @NodeActor () throws -> T) rethrows -> T {
        try enter {
            let ticks = TickQueue.shared
            ticks.depth += 1
            defer {
                ticks.depth -= 1
                if ticks.depth == 0 { ticks.drain() }
            }
            return try operation()
        }
    }

    private static func enter<T: Sendable>(_ operation: @NodeActor () throws -> T) rethrows -> T {
        typealias Isolated = @NodeActor () throws -> T
        typealias Plain = () throws -> T
        nodeLoop.preconditionInEventLoop()
        // Same technique as MainActor.assumeIsolated: the check above is what makes this sound.
        return try withoutActuallyEscaping(operation) { (isolated: @escaping Isolated) throws -> T in
            try unsafeBitCast(isolated, to: Plain.self)()
        }
    }
}

/// Runs `body` as soon as the current callback returns, before the loop does anything else (other
/// I/O, timers, immediates, resumed tasks), like `process.nextTick`.
@NodeActor func nextTick(_ body: @escaping @NodeActor () -> Void) {
    TickQueue.shared.add(body)
}
