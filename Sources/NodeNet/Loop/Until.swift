/// Waits until `start` calls the function it is given: Swift's spelling of Node's
/// `await new Promise(resolve => server.listen(0, resolve))`.
///
/// ```swift
/// await until { done in server.listen(0, "127.0.0.1", done) }
/// ```
@NodeActor public func until(_ start: (@escaping @NodeActor () -> Void) -> Void) async {
    await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
        start { finished.resume() }
    }
}

/// Waits until `start`'s callback is called, and returns what it was called with:
/// `let port = await until { done in server.listen(0) { done(server.address()!.port) } }`.
@NodeActor public func until<Value: Sendable>(_ start: (@escaping @NodeActor (Value) -> Void) -> Void) async
    -> Value
{
    await withCheckedContinuation { (finished: CheckedContinuation<Value, Never>) in
        start { finished.resume(returning: $0) }
    }
}
