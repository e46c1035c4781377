/// Helpers shared by the runtime tests and the kata tests: every wait has a deadline.
import NodeNet

#if canImport(Glibc)
    import Glibc
#endif

/// A test waited longer than its deadline for an event.
public struct TimedOut: Error, CustomStringConvertible {
    /// What was awaited.
    public let what: String
    /// The message a failing test shows.
    public var description: String { "timed out waiting for \(what)" }
}

/// Waits until `start` calls the function it is given, or fails after `seconds`.
///
/// Every wait in these tests goes through here, so no test can hang: each has a hard deadline.
@NodeActor
public func waitFor<T: Sendable>(
    _ what: String,
    seconds: Int = 10,
    _ start: (@escaping @NodeActor (T) -> Void) -> Void
) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        var settled = false
        let deadline = setTimeout(seconds * 1000) {
            guard !settled else { return }
            settled = true
            continuation.resume(throwing: TimedOut(what: what))
        }
        start { value in
            guard !settled else { return }
            settled = true
            deadline.close()
            continuation.resume(returning: value)
        }
    }
}

/// Waits for a `Void` completion.
@NodeActor
public func waitFor(_ what: String, seconds: Int = 10, _ start: (@escaping @NodeActor () -> Void) -> Void)
    async throws
{
    let _: Bool = try await waitFor(what, seconds: seconds) { done in start { done(true) } }
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
