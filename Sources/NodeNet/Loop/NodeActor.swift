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
            TickQueue.shared.depth += 1
            defer { TickQueue.shared.leave() }
            return try operation()
        }
    }

    /// Runs `dispatch`, a channel handler's passing on of one NIO event, as one callback: the
    /// `@NodeActor` code it reaches queues its ticks until the whole dispatch has returned.
    static func dispatching(_ dispatch: () -> Void) {
        enter { TickQueue.shared.depth += 1 }
        dispatch()
        enter { TickQueue.shared.leave() }
    }

    private static func enter<T: Sendable>(_ operation: @NodeActor () throws -> T) rethrows -> T {
        typealias Isolated = @NodeActor () throws -> T
        typealias Plain = () throws -> T
        nodeLoop.preconditionInEventLoop()
        // Only where the books are kept: a global's write is an exclusivity check on every callback.
        if Quiescence.isTracking { Quiescence.callbacks &+= 1 }
        // Same technique as MainActor.assumeIsolated: the check above is what makes this sound.
        return try withoutActuallyEscaping(operation) { (isolated: @escaping Isolated) throws -> T in
            try unsafeBitCast(isolated, to: Plain.self)()
        }
    }
}

/// Runs `body` on the loop once the current batch of I/O callbacks is over: how the runtime defers
/// its own events (`end`, `close`, write callbacks, an upgrade's handover).
///
/// Later than Node, which runs them from its nextTick queue (``NodeProcess/afterIOBatch(_:)``): the
/// HTTP server's upgrade handover and its holding of an early FIN rely on the parser having seen
/// the whole batch first, so moving them is a change of its own.
func afterIOBatch(_ body: @escaping @NodeActor () -> Void) {
    nodeLoop.execute { NodeActor.assumeIsolated { body() } }
}
