/// Waits until `start` calls the function it is given: Swift's spelling of Node's
/// `await new Promise(resolve => server.listen(0, resolve))`. As with a promise's `resolve`, only
/// the first call counts: a `response` and then an `error` may both call it.
///
/// ```swift
/// await until { done in server.listen(0, "127.0.0.1", done) }
/// ```
@NodeActor public func until(_ start: (@escaping @NodeActor () -> Void) -> Void) async {
    // The valued form's body, with a value that says nothing.
    let _: Bool = await until { done in start { done(true) } }
}

/// Waits until `start`'s callback is called, and returns what it was called with:
/// `let port = await until { done in server.listen(0) { done(server.address()!.port) } }`.
/// Later calls are ignored, as a promise ignores a second `resolve`.
@NodeActor public func until<Value: Sendable>(_ start: (@escaping @NodeActor (Value) -> Void) -> Void) async
    -> Value
{
    await withCheckedContinuation { (finished: CheckedContinuation<Value, Never>) in
        var settled = false
        start { value in
            guard !settled else { return }
            settled = true
            finished.resume(returning: value)
        }
    }
}
