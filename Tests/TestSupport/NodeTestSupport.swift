/// Helpers shared by the runtime tests and the kata tests: every wait has a deadline.
@_spi(Testing) import NodeNet
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A test waited longer than its deadline for an event, or (in the kata runner) until the loop
/// went idle with nothing left that could bring it (``NodeNet/Quiescence``).
public struct TimedOut: Error, CustomStringConvertible {
    /// What was awaited.
    public var what: String
    /// The wait ended before its deadline: nothing left on the loop could bring the event.
    public var wentIdle = false
    /// How far behind the shared loop ran meanwhile, when that was a second or more (``LoopLag``).
    public var loopNote = ""

    /// A wait for `what` that ended (see the properties).
    public init(what: String, wentIdle: Bool = false, loopNote: String = "") {
        self.what = what
        self.wentIdle = wentIdle
        self.loopNote = loopNote
    }
    /// The message a failing test shows.
    public var description: String {
        wentIdle
            ? "gave up waiting for \(what): \(idleReason)"
            : "timed out waiting for \(what)\(loopNote)"
    }
}

/// Why a wait ended early, in a failure message.
let idleReason = "the loop went idle, with no timer, connection or data left that could bring it"

/// The longest any `waitFor` lasts when `NODENET_TEST_PATIENCE` (seconds) is set. The kata runner
/// sets it for the student's loop: on loopback an answer comes in milliseconds or not at all, so a
/// stub should not be waited on for 30 s. CI and `kata verify` leave it unset (each wait's own).
public let testPatience: Int? = getenv("NODENET_TEST_PATIENCE").flatMap { Int(String(cString: $0)) }

/// Waits until `start` calls the function it is given, or fails after `seconds` (or the
/// `testPatience`, if shorter).
///
/// Every wait in these tests goes through here, so no test can hang: each has a hard deadline.
@NodeActor
public func waitFor<T: Sendable>(
    _ what: String,
    seconds: Int = 30,
    _ start: (@escaping @NodeActor (T) -> Void) -> Void
) async throws -> T {
    try await wait(for: what, seconds: seconds) { done, _ in start(done) }
}

/// Waits for a long transfer until `start` calls its `done`, or fails once `seconds` (or the
/// `testPatience`) pass in which `start`'s `progress` was never called, such as a byte arriving.
///
/// A hang is a transfer that stops, not one that is slow: in a whole `swift test` run on two cores,
/// eight mebibytes through a debug build share the one loop with some 700 tests and can take longer
/// than any fixed deadline that is short enough to catch a stall. The suite's time limit still
/// bounds the whole wait.
@NodeActor
public func waitForTransfer<T: Sendable>(
    _ what: String,
    stalledFor seconds: Int = 30,
    _ start: (_ done: @escaping @NodeActor (T) -> Void, _ progress: @escaping @NodeActor () -> Void) -> Void
) async throws -> T {
    try await wait(for: what, seconds: seconds, start)
}

/// Waits for a long transfer's `Void` completion (see the other `waitForTransfer`).
@NodeActor
public func waitForTransfer(
    _ what: String,
    stalledFor seconds: Int = 30,
    _ start: (_ done: @escaping @NodeActor () -> Void, _ progress: @escaping @NodeActor () -> Void) -> Void
) async throws {
    let _: Bool = try await waitForTransfer(what, stalledFor: seconds) { done, progress in
        start({ done(true) }, progress)
    }
}

/// The one wait under `waitFor` and `waitForTransfer`. A deadline that comes after some progress
/// starts over instead of failing, so a transfer fails between one and two periods after its last
/// progress (`waitFor` reports none, so its first deadline is its last); counting progress is one
/// store, where moving a timer for every chunk would be a cancel and a schedule.
@NodeActor
private func wait<T: Sendable>(
    for what: String,
    seconds: Int,
    _ start: (_ done: @escaping @NodeActor (T) -> Void, _ progress: @escaping @NodeActor () -> Void) -> Void
) async throws -> T {
    let seconds = min(seconds, testPatience ?? seconds)
    _ = unhandledErrorsAreTestFailures
    LoopLag.watch()
    let started = ContinuousClock.now
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        var settled = false
        var progressed = false
        var idleWatch: Quiescence.Watch?
        var deadline: Timeout?
        @NodeActor func arm() {
            deadline = Quiescence.deadline(seconds * 1000) {
                guard !settled else { return }
                if progressed {
                    progressed = false
                    return arm()
                }
                settled = true
                idleWatch?.cancel()
                continuation.resume(throwing: TimedOut(what: what, loopNote: LoopLag.note(since: started)))
            }
        }
        arm()
        start(
            { value in
                guard !settled else { return }
                settled = true
                deadline?.close()
                idleWatch?.cancel()
                continuation.resume(returning: value)
            },
            { progressed = true })
        // Where the runtime keeps the books (the kata runner's test processes), a stub that never
        // answers fails once nothing could answer, instead of at the deadline.
        guard Quiescence.isTracking, !settled else { return }
        idleWatch = Quiescence.whenIdle(within: seconds * 1000) {
            guard !settled else { return }
            settled = true
            deadline?.close()
            continuation.resume(throwing: TimedOut(what: what, wentIdle: true))
        }
    }
}

/// An `error` event nobody listens for ends a Node program, and NodeNet's too; in a test process
/// that would end every test still running (a late ECONNRESET on a socket whose test already
/// failed took whole runs down). Here it fails the run instead, and the other tests go on. A
/// test that listens for `uncaughtException` itself still gets the error alone.
@NodeActor let unhandledErrorsAreTestFailures: Void = {
    process.on(.uncaughtException) { error in
        guard process.listenerCount(.uncaughtException) == 1 else { return }
        Issue.record(
            "an 'error' event that nothing listened for, on \(process.uncaughtErrorEmitter ?? "?"): \(error)")
    }
}()

/// Waits for a `Void` completion.
@NodeActor
public func waitFor(_ what: String, seconds: Int = 30, _ start: (@escaping @NodeActor () -> Void) -> Void)
    async throws
{
    let _: Bool = try await waitFor(what, seconds: seconds) { done in start { done(true) } }
}

/// Waits until `condition` holds, checking every 20 ms (for a condition no event reports).
@NodeActor
public func waitUntil(
    _ what: String, seconds: Int = 30, _ condition: @escaping @NodeActor () -> Bool
) async throws {
    try await waitFor(what, seconds: seconds) { done in
        var checksLeft = seconds * 50
        @NodeActor func check() {
            if condition() { return done() }
            checksLeft -= 1
            if checksLeft > 0 { setTimeout(20, check) }
        }
        check()
    }
}

/// Waits until a reader flooded by its peer has stopped reading: `bytesRead` unchanged for 200 ms
/// while the peer still has bytes waiting to go (TCP holds it back), counted only once `ready`
/// holds; or at once when `overLimit` holds, so that the caller's expectations fail without a wait.
/// No event says "the kernel stopped delivering", so this is the one wait that watches a clock.
@NodeActor
public func waitUntilReadingStalls(
    seconds: Int = 90, bytesRead: @escaping @NodeActor () -> Int,
    peerHasMore: @escaping @NodeActor () -> Bool, ready: @escaping @NodeActor () -> Bool,
    overLimit: @escaping @NodeActor () -> Bool
) async throws {
    var lastRead = -1
    var quietChecks = 0
    do {
        try await waitUntil("the reading to stop", seconds: seconds) {
            if overLimit() { return true }
            let read = bytesRead()
            quietChecks = read == lastRead && peerHasMore() && ready() ? quietChecks + 1 : 0
            lastRead = read
            return quietChecks >= 10
        }
    } catch var timedOut as TimedOut {
        // Which condition never held is what tells a slow machine from a reader that never stops.
        timedOut.what +=
            " (at the end: \(bytesRead()) bytes read, the peer had more: \(peerHasMore()), ready: \(ready()))"
        throw timedOut
    }
}

/// A server on a free loopback port, listening.
@NodeActor
public func listeningServer(
    _ options: ServerOptions = ServerOptions(),
    _ onConnection: @escaping @NodeActor (Socket) -> Void = { _ in }
) async throws -> (Server, Int) {
    let server = net.createServer(options, onConnection)
    try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
    return (server, server.address()!.port)
}

/// An ordered record of events, shared by both ends of a connection in a test.
@NodeActor public final class EventLog {
    /// The entries, oldest first.
    public private(set) var entries: [String] = []
    /// An empty log.
    public init() {}
    /// Appends one entry.
    public func add(_ entry: String) { entries.append(entry) }
}

/// Calls `whenDone` once `tick()` has been called `count` times.
@NodeActor public final class Countdown {
    private var left: Int
    /// What to call when the count reaches zero.
    public var whenDone: (@NodeActor () -> Void)?

    /// Counts down from `count`.
    public init(_ count: Int) { left = count }

    /// Counts one.
    public func tick() {
        left -= 1
        if left == 0 { whenDone?() }
    }
}

/// A loopback port that refuses connections for as long as this value lives: a socket is bound to
/// it but never listens, so no other test can be given the port meanwhile.
public final class ReservedPort {
    private let descriptor: Int32
    /// The port number.
    public let number: Int

    /// Reserves a free port on 127.0.0.1.
    public init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw NodeError(code: "ERESERVE", message: "could not reserve a port") }
        number = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

/// An HTTP server on a free loopback port, listening.
@NodeActor
public func listeningHTTPServer(
    _ options: HTTPServerOptions = HTTPServerOptions(),
    _ onRequest: @escaping @NodeActor (IncomingMessage, ServerResponse) -> Void = { _, res in res.end("ok") }
) async throws -> (HTTPServer, Int) {
    let server = http.createServer(options, onRequest)
    try await waitFor("listening") { done in server.listen(0, "127.0.0.1", done) }
    return (server, server.address()!.port)
}

/// A `GET /` on a connection of its own, read to the end of the response. No agent: another
/// test's `Agent.global.destroy()` would cut a pooled connection.
@NodeActor
public func getToTheEnd(_ port: Int) async throws {
    try await waitFor("response") { done in
        http.request(RequestOptions(host: "127.0.0.1", port: port, agent: nil)) { res in
            res.resume()
            res.on(.end, done)
        }.end()
    }
}

/// What a raw TCP client received: the text, and whether the server closed the connection.
public struct RawReply: Sendable {
    /// Everything received, with any `Date:` value replaced by `D` so replies compare exactly.
    public let text: String
    /// Whether the server closed the connection (rather than `until` being satisfied).
    public let closed: Bool
}

/// Writes `request` on a new connection and reads until `until` accepts what has arrived or the
/// server closes; the connection is then destroyed. Fails after `seconds`.
@NodeActor
public func rawExchange(
    _ port: Int,
    _ request: String,
    seconds: Int = 30,
    until: @escaping @NodeActor (String) -> Bool = { _ in false }
) async throws -> RawReply {
    try await rawExchange(port, Buffer(request), seconds: seconds, until: until)
}

/// ``rawExchange(_:_:seconds:until:)`` with bytes that need not be UTF-8.
@NodeActor
public func rawExchange(
    _ port: Int,
    _ request: Buffer,
    seconds: Int = 30,
    until: @escaping @NodeActor (String) -> Bool = { _ in false }
) async throws -> RawReply {
    try await waitFor("reply to \(request.toString().prefix(40).debugDescription)", seconds: seconds) {
        done in
        let socket = net.connect(port)
        var received = ""
        var finished = false
        @NodeActor func finish(_ closed: Bool) {
            guard !finished else { return }
            finished = true
            socket.destroy()
            done(RawReply(text: withoutDate(received), closed: closed))
        }
        socket.on(.data) { data in
            received += data.toString()
            if until(received) { finish(false) }
        }
        socket.on(.error) { _ in }
        socket.on(.close) { _ in finish(true) }
        socket.write(request)
    }
}

/// `text` with each `Date:` header's value replaced by `D`.
public func withoutDate(_ text: String) -> String {
    // "\r\n" is one Character in Swift, so this splits on line ends.
    text.split(separator: "\r\n", omittingEmptySubsequences: false)
        .map { $0.hasPrefix("Date: ") ? "Date: D" : String($0) }
        .joined(separator: "\r\n")
}

/// How a wait of `seconds` that failed with `error` ended, for failure messages that tell the
/// student how long the test waited: "within 3 s" (the `testPatience` cap included, and how far
/// behind the shared loop ran meanwhile if that was seconds), or, when the loop went idle first,
/// "before the loop went idle (…)".
public func waited(_ seconds: Int, _ error: any Error) -> String {
    let within = "within \(min(seconds, testPatience ?? seconds)) s"
    guard let timedOut = error as? TimedOut else { return within }
    return timedOut.wentIdle ? "before \(idleReason)" : within + timedOut.loopNote
}
