import NIOCore
import NIOEmbedded
import NodeNet

/// One connection to a server, with no socket: an `EmbeddedChannel` the server serves as if it
/// had accepted it, fed bytes and read back by the fuzzer on the loop thread.
///
/// The server's own code runs as it does over TCP (its pipeline, its `nextTick`s on the loop);
/// only the socket underneath is replaced.
@NodeActor final class EmbeddedConnection {
    private let channel: EmbeddedChannel
    /// What the server wrote, so far.
    private(set) var output: [UInt8] = []

    /// Connects to `server`.
    init(to server: Server) async {
        channel = EmbeddedChannel()
        // A fresh embedded channel is open, so its handlers always go in.
        try! server.accept(driving: channel)
        channel.connect(to: try! SocketAddress(ipAddress: "127.0.0.1", port: 9), promise: nil)
        await settle()
    }

    /// Whether the server still has the connection open.
    var isOpen: Bool { channel.isActive }

    /// The client sends `bytes`, in one read.
    func send(_ bytes: some Collection<UInt8>) async {
        guard channel.isActive else { return }
        // A parse error the server's handlers pass on ends here: the server has already answered.
        _ = try? channel.writeInbound(ByteBuffer(bytes: bytes))
        await settle()
    }

    /// The client sends FIN.
    func sendEnd() async {
        guard channel.isActive else { return }
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        await settle()
    }

    /// The client goes away.
    func close() async {
        if channel.isActive { channel.close(promise: nil) }
        await settle()
    }

    /// Lets the server finish what the last event started: its `nextTick`s queue on the loop
    /// behind this task, and the channel's own tasks run when its loop is run. Done once
    /// several turns in a row change nothing.
    private func settle() async {
        var quietTurns = 0
        var turns = 0
        while quietTurns < 3 && turns < 64 {
            let before = (output.count, channel.isActive)
            channel.embeddedEventLoop.run()
            collectOutput()
            await Task.yield()
            turns += 1
            quietTurns = before == (output.count, channel.isActive) ? quietTurns + 1 : 0
        }
    }

    private func collectOutput() {
        while let buffer = try? channel.readOutbound(as: ByteBuffer.self) {
            output += buffer.readableBytesView
        }
    }
}

/// Makes sure `server` is listening (on a loopback port nobody uses, not holding the loop): an
/// HTTP server that is not listening closes each connection once it is idle, as Node's does.
@NodeActor func listening(_ server: Server) async {
    guard !server.listening else { return }
    await until { done in server.listen(0, "127.0.0.1", done) }
    server.unref()
}

/// How many connections `server` still counts; after each input's connection has closed, any is
/// a leak (state a hostile client could pile up).
@NodeActor func connectionCount(_ server: Server) async -> Int {
    await until { done in server.getConnections { _, count in done(count) } }
}

extension [UInt8] {
    /// The input cut into up to `reads` pieces at points chosen from its own bytes (the same
    /// cuts on every replay): a parser must give the same answer however TCP splits a request.
    func reads(_ reads: Int) -> [ArraySlice<UInt8>] {
        guard count > 1 else { return [self[...]] }
        var hash = fnv1a(self)
        var cuts: [Int] = []
        for _ in 1..<Swift.max(1, reads) {
            cuts.append(Int(hash % UInt64(count)))
            hash = hash >> 13 | hash << 51
        }
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        for cut in cuts.sorted() where cut > start {
            pieces.append(self[start..<cut])
            start = cut
        }
        pieces.append(self[start...])
        return pieces
    }
}
