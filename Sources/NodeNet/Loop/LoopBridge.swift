import NIOCore

// How SwiftNIO's side (channel handlers, future callbacks) steps into `@NodeActor` code. Both run
// on the loop thread but outside any Swift task, so each hop is a checked `assumeIsolated`.

extension NodeActor {
    /// Runs `operation` on `target`, a `@NodeActor` object a channel handler reports to, from the
    /// handler's callback on the loop thread.
    ///
    /// The target is read before the hop, so the `@NodeActor` closure never captures the
    /// (non-Sendable) handler itself: `NodeActor.run(socket) { $0.didRead(bytes) }`.
    static func run<Target: Sendable, Result: Sendable>(
        _ target: Target,
        _ operation: @NodeActor (Target) -> Result
    ) -> Result {
        assumeIsolated { operation(target) }
    }
}

extension EventLoopFuture where Value: Sendable {
    /// Calls `callback` with the future's result as `@NodeActor` code, on the loop, once it completes.
    func whenCompleteOnNode(_ callback: @escaping @NodeActor (Result<Value, any Error>) -> Void) {
        assumeIsolated().whenComplete { result in NodeActor.assumeIsolated { callback(result) } }
    }

    /// Calls `callback` with the future's error as `@NodeActor` code, on the loop, if it fails.
    func whenFailureOnNode(_ callback: @escaping @NodeActor (any Error) -> Void) {
        assumeIsolated().whenFailure { error in NodeActor.assumeIsolated { callback(error) } }
    }
}

extension Channel {
    /// A bootstrap's channel initializer that runs `install` as `@NodeActor` code; `install` adds
    /// handlers through `pipeline.syncOperations`, and if that throws, the bootstrap's own future
    /// fails with the error (a connect or bind error the caller already reports).
    func installOnNode(_ install: @NodeActor (any Channel) throws -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture { try NodeActor.assumeIsolated { try install(self) } }
    }
}
