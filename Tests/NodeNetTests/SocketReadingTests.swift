import NIOCore
import TestSupport
import Testing

@testable import NodeNet

/// How a socket reads when nobody takes its bytes, as Node 20 does it (checked with node on
/// 127.0.0.1; NODE-SEMANTICS.md, net): it reads into its buffer until that holds the high-water
/// mark, so a peer's FIN with nothing before it is seen, and `end` waits only for bytes not yet
/// taken.
@Suite(.timeLimit(.minutes(2)))
@NodeActor struct SocketReadingTests {
    /// Node: a server socket with only `end` and `close` listeners, whose peer ends without
    /// sending, prints `end`, then `close`.
    @Test func aSocketNobodyReadsSeesAnEndWithNothingBeforeIt() async throws {
        let log = EventLog()
        let (server, port) = try await listeningServer()
        defer { server.close() }
        try await waitFor("the server side's close") { done in
            server.once(.connection) { socket in
                socket.on(.end) { log.add("end") }
                socket.on(.close) { hadError in
                    log.add("close(\(hadError))")
                    done()
                }
            }
            let client = net.connect(port, "127.0.0.1")
            client.on(.connect) { client.end() }
        }
        #expect(log.entries == ["end", "close(false)"])
    }

    /// Node: the peer sends 5 bytes and ends; nobody reads. The socket reads them
    /// (`bytesRead` 5, `readableLength` 5) and stays open without `end`; `resume()` with no
    /// `data` listener lets the bytes go, then `end` fires.
    @Test func bytesNobodyTookHoldBackTheEndUntilResume() async throws {
        let log = EventLog()
        let (server, port) = try await listeningServer()
        defer { server.close() }
        let client = net.connect(port, "127.0.0.1")
        client.on(.error) { _ in }
        client.on(.connect) { client.end("hello") }
        let socket: Socket = try await waitFor("a connection") { done in server.once(.connection, done) }
        socket.on(.end) { log.add("end") }
        try await waitUntil("the server side has read the bytes and the FIN") {
            socket.readable.end == .received
        }
        #expect(socket.bytesRead == 5)
        #expect(socket.readableLength == 5)
        #expect(log.entries.isEmpty, "end must wait for the bytes before it to be taken")
        #expect(!socket.destroyed)
        try await waitFor("close after resume") { done in
            socket.on(.close) { _ in done() }
            socket.resume()
        }
        #expect(log.entries == ["end"])
        #expect(socket.readableLength == 0)
    }

    /// Node: a paused socket whose peer ends without sending still emits `end` (and closes):
    /// `pause()` holds bytes, and there are none.
    @Test func aPausedSocketSeesAnEndWithNothingBeforeIt() async throws {
        let log = EventLog()
        let (server, port) = try await listeningServer()
        defer { server.close() }
        try await waitFor("the server side's close") { done in
            server.once(.connection) { socket in
                socket.pause()
                socket.on(.data) { data in log.add("data \(data.count)") }
                socket.on(.end) { log.add("end") }
                socket.on(.close) { _ in done() }
            }
            let client = net.connect(port, "127.0.0.1")
            client.on(.connect) { client.end() }
        }
        #expect(log.entries == ["end"])
    }

    /// Node: with `pauseOnConnect` nothing is read (`bytesRead` 0, no `data`) until `resume()`;
    /// then `data`, and `end` once the peer ends.
    @Test func pauseOnConnectReadsNothingUntilResume() async throws {
        let (server, port) = try await listeningServer(ServerOptions(pauseOnConnect: true))
        defer { server.close() }
        let client = net.connect(port, "127.0.0.1")
        client.on(.error) { _ in }
        let socket: Socket = try await waitFor("a connection") { done in server.once(.connection, done) }
        #expect(socket.isPaused())
        try await expectNothingReadUntilResume(socket, from: client)
    }

    /// Node: a client paused before it connects does not start reading (`bytesRead` 0, no
    /// `data`) until `resume()`; then `data`, and `end` once the peer ends.
    @Test func aClientPausedBeforeItConnectsReadsNothingUntilResume() async throws {
        let (server, port) = try await listeningServer()
        defer { server.close() }
        let client = net.connect(port, "127.0.0.1")
        client.pause()
        let peer: Socket = try await waitFor("a connection") { done in server.once(.connection, done) }
        try await expectNothingReadUntilResume(client, from: peer)
    }

    /// Has `writer` send "hello" to the paused `reader`, and expects none of it read (`bytesRead`
    /// 0, no `data`) until `resume()`; then `data hello`, and `end` once the writer ends.
    private func expectNothingReadUntilResume(
        _ reader: Socket, from writer: Socket, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let log = EventLog()
        reader.on(.data) { data in log.add("data \(data.toString())") }
        reader.on(.end) { log.add("end") }
        let _: NodeError? = try await waitFor("the bytes sent") { done in writer.write("hello", done) }
        // A few turns of the loop: a socket that read would have read the bytes by now.
        try await waitFor("a few turns of the loop") { done in setTimeout(20, done) }
        #expect(reader.bytesRead == 0, sourceLocation: sourceLocation)
        #expect(log.entries.isEmpty, sourceLocation: sourceLocation)
        try await waitFor("end after resume") { done in
            reader.once(.end, done)
            reader.resume()
            writer.end()
        }
        #expect(log.entries == ["data hello", "end"], sourceLocation: sourceLocation)
    }

    /// Where NodeNet differs: the peer's FIN makes SwiftNIO read what the kernel holds for the
    /// socket even while reading is stopped (Node leaves it there: `bytesRead` 0). The program
    /// sees the same events: nothing until `resume()`, then `data` and `end`.
    @Test func aFINIsReadBehindStoppedReadingButWaitsForResume() async throws {
        let log = EventLog()
        let (server, port) = try await listeningServer(ServerOptions(pauseOnConnect: true))
        defer { server.close() }
        let client = net.connect(port, "127.0.0.1")
        client.on(.error) { _ in }
        client.on(.connect) { client.end("hello") }
        let socket: Socket = try await waitFor("a connection") { done in server.once(.connection, done) }
        socket.on(.data) { data in log.add("data \(data.toString())") }
        socket.on(.end) { log.add("end") }
        try await waitUntil("SwiftNIO has read the FIN") { socket.readable.end == .received }
        #expect(socket.bytesRead == 5)
        #expect(log.entries.isEmpty)
        try await waitFor("end after resume") { done in
            socket.once(.end, done)
            socket.resume()
        }
        #expect(log.entries == ["data hello", "end"])
    }

    /// Node: a client socket with no `data` listener whose server ends without sending sees
    /// `end`, then `close`.
    @Test func aClientNobodyReadsSeesTheServersEnd() async throws {
        let (server, port) = try await listeningServer { socket in socket.end() }
        defer { server.close() }
        let log = EventLog()
        try await waitFor("the client's close") { done in
            let client = net.connect(port, "127.0.0.1")
            client.on(.end) { log.add("end") }
            client.on(.close) { hadError in
                log.add("close(\(hadError))")
                done()
            }
        }
        #expect(log.entries == ["end", "close(false)"])
    }

    /// A peer sends 100 MiB to a socket nobody reads (or a paused one). Node reads one 64 KiB
    /// chunk, past its 16 KiB high-water mark, and stops; the rest waits in the kernel and TCP
    /// holds the peer back. NodeNet stops at the mark too, past it by at most one SwiftNIO read
    /// (up to four 64 KiB buffers). Reading then delivers every byte in order, and `end`.
    @Test(arguments: [false, true])
    func aFloodStopsAtTheHighWaterMarkUntilSomeoneReads(paused: Bool) async throws {
        let total = 100 * 1024 * 1024
        let (server, port) = try await listeningServer { socket in if paused { socket.pause() } }
        defer { server.close() }
        let client = net.connect(port, "127.0.0.1")
        client.on(.error) { _ in }
        let writer = try PatternedWriter(total: total, into: client)
        client.on(.connect) { writer.start() }
        let socket: Socket = try await waitFor("a connection") { done in server.once(.connection, done) }
        try await expectFloodHeldBack(reader: socket, writer: writer, from: client)
    }

    /// Where NodeNet differs: after an HTTP upgrade Node's socket goes on reading (its `end`
    /// fires though the listener reads nothing); NodeNet's waits for its new owner, so no byte
    /// reaches it before the new protocol's handlers are in. The FIN, read or not, waits too.
    @Test func anUpgradedSocketWaitsForItsNewOwnerToRead() async throws {
        let log = EventLog()
        let (server, port) = try await listeningHTTPServer()
        defer { server.close() }
        let client = net.connect(port, "127.0.0.1")
        client.on(.error) { _ in }
        client.on(.connect) {
            client.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n")
        }
        let socket: Socket = try await waitFor("the upgrade") { done in
            server.on(.upgrade) { _, socket, _ in done(socket) }
        }
        socket.on(.end) { log.add("end") }
        client.end()
        try await waitUntil("SwiftNIO has read the FIN") { socket.readable.end == .received }
        #expect(log.entries.isEmpty, "end must wait for the new owner to read")
        try await waitFor("end after resume") { done in
            socket.once(.end, done)
            socket.resume()
        }
        #expect(log.entries == ["end"])
        socket.destroy()
    }

    /// Every reason to stop reading holds on its own: HTTP's back-pressure ending does not
    /// restart a socket that waits for `resume()`, and the other way round.
    @Test func oneReasonToReadAgainDoesNotUndoAnothersStop() async throws {
        let (server, port) = try await listeningServer(ServerOptions(pauseOnConnect: true))
        defer { server.close() }
        let client = net.connect(port, "127.0.0.1")
        defer { client.destroy() }
        let socket: Socket = try await waitFor("a connection") { done in server.once(.connection, done) }
        let channel = try #require(socket.channel)
        func autoRead() async throws -> Bool { try await channel.getOption(ChannelOptions.autoRead).get() }

        #expect(try await autoRead() == false, "pauseOnConnect")
        socket.setReadingStopped(true, for: .bodyBackPressure)
        socket.setReadingStopped(false, for: .bodyBackPressure)
        #expect(try await autoRead() == false, "still waiting for resume()")
        socket.resume()
        #expect(try await autoRead() == true)

        socket.setReadingStopped(true, for: .pipelineBackPressure)
        socket.setReadingStopped(true, for: .bodyBackPressure)
        socket.setReadingStopped(false, for: .pipelineBackPressure)
        #expect(try await autoRead() == false, "the body's reader is still behind")
        #expect(socket.isPaused())
        socket.setReadingStopped(false, for: .bodyBackPressure)
        #expect(try await autoRead() == true)
        #expect(!socket.isPaused())
    }

    /// The reasons alone: taking back a reason that does not hold changes nothing.
    @Test func readDemandKeepsEachReason() {
        var demand = ReadDemand()
        demand.stop(for: .bufferFull, on: nil)
        demand.stop(for: .untilResumed, on: nil)
        let notHeld = demand.allow(for: .bodyBackPressure, on: nil)
        #expect(!notHeld)
        #expect(demand.reasons == [.bufferFull, .untilResumed])
        let bufferFullHeld = demand.allow(for: .bufferFull, on: nil)
        #expect(bufferFullHeld)
        #expect(demand.reasons == .untilResumed)
        let untilResumedHeld = demand.allow(for: .untilResumed, on: nil)
        #expect(untilResumedHeld)
        #expect(demand.reasons.isEmpty)
    }
}

/// Expects a reader flooded by `writer` (through the socket `client`) to stop at its high-water
/// mark, past it by at most one SwiftNIO read (up to four 64 KiB buffers), with the writer held
/// back; then reads it to the end and expects every byte, in order.
@NodeActor
func expectFloodHeldBack(
    reader socket: Socket, writer: PatternedWriter, from client: Socket,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let total = writer.total
    let mark = socket.readableHighWaterMark
    let limit = mark + 4 * 64 * 1024
    // Only past the mark: a socket that stopped short of it never counts as stalled.
    try await waitUntilReadingStalls(
        bytesRead: { socket.bytesRead }, peerHasMore: { client.writableLength > 0 },
        ready: { socket.readableLength >= mark }, overLimit: { socket.readableLength > limit })
    #expect(
        socket.readableLength == socket.bytesRead, "nothing was delivered", sourceLocation: sourceLocation)
    #expect(socket.readableLength >= mark, sourceLocation: sourceLocation)
    #expect(
        socket.readableLength <= limit, "a socket nobody reads held \(socket.readableLength) bytes",
        sourceLocation: sourceLocation)
    #expect(writer.offset < total, "the writer must have been held back", sourceLocation: sourceLocation)
    let received = try await readToTheEnd(seconds: 90) { data, end in
        socket.on(.data, data)
        socket.on(.end, end)
        socket.resume()
    }
    #expect(received.count == total, sourceLocation: sourceLocation)
    #expect(received.sha256 == writer.sent.digest(.hex), sourceLocation: sourceLocation)
}
