import Foundation
import TestSupport
import Testing

/// The port in the server's first line, `server listening 127.0.0.1:PORT`.
private func udpPort(in output: String) throws -> Int {
    let match = try #require(
        output.firstMatch(of: /server listening [\d.]+:(\d+)/), "no listening line in: \(output)")
    return try #require(Int(match.1))
}

/// Chapter 2's program, run as a student runs it, checked with real datagrams.
@Suite(.timeLimit(.minutes(1)))
struct UDPSocketProgramTests {
    @Test func theServerAnswersEveryDatagramAndNamesItsSender() async throws {
        let server = try RunningProgram.built("udp-socket", ["--port", "0", "--host", "127.0.0.1"])
        let port = try udpPort(in: try await server.waitForOutput(containing: "server listening"))
        let client = PlainUDPClient()
        #expect(client.exchange("hello", port: port) == "你好, hello")
        #expect(client.exchange("深入浅出", port: port) == "你好, 深入浅出")
        let log = try await server.waitForOutput(containing: "(12 bytes)")
        #expect(log.contains(/server got: hello from 127\.0\.0\.1:\d+ \(5 bytes\)/))
        server.stop()
    }

    /// A 65,507-byte datagram (the largest) makes the reply, eight bytes longer, too big to
    /// send: node 20 drops that failure unreported and its twin serves on. The server here did
    /// too little: its `error` listener closed it, so one datagram stopped it for everyone.
    @Test func aDatagramWhoseReplyCannotBeSentDoesNotStopTheServer() async throws {
        let server = try RunningProgram.built("udp-socket", ["--port", "0", "--host", "127.0.0.1"])
        defer { server.stop() }
        let port = try udpPort(in: try await server.waitForOutput(containing: "server listening"))
        _ = PlainUDPClient(timeoutSeconds: 1).exchange(String(repeating: "x", count: 65507), port: port)
        try await server.waitForOutput(containing: "(65507 bytes)")
        #expect(PlainUDPClient().exchange("hello", port: port) == "你好, hello")
        #expect(!server.standardOutput.contains("server error"), "\(server.standardOutput)")
    }

    @Test func aPortNoDatagramCanGoToEndsTheClientWithNodesError() async throws {
        let client = try RunningProgram.built("udp-socket", ["client", "127.0.0.1", "70000", "hi"])
        #expect(try await client.waitForExit() == 1)
        #expect(
            client.standardOutput
                == "client: Port should be > 0 and < 65536. Received type number (70000). (ERR_SOCKET_BAD_PORT)\n"
        )
    }

    @Test func aLossRunOfNoDatagramsSaysSoAsNodesTwinDoes() async throws {
        let loss = try RunningProgram.built("udp-socket", ["loss", "0"])
        #expect(try await loss.waitForExit() == 0)
        #expect(loss.standardOutput == "sent 0, relayed 0, dropped 0, received 0\nmissing: none\n")
    }

    @Test func theClientGivesUpAfterTwoSecondsWithoutAReply() async throws {
        let port = try ReservedUDPPort()
        let client = try RunningProgram.built(
            "udp-socket", ["client", "127.0.0.1", "\(port.number)", "anyone?"])
        #expect(try await client.waitForExit() == 1)
        #expect(client.standardOutput == "no reply within 2000 ms (UDP does not retry)\n")
    }

    @Test func peersAndTheDemoRunAndExitByThemselves() async throws {
        let peers = try RunningProgram.built("udp-socket", ["peers"])
        #expect(try await peers.waitForExit() == 0)
        #expect(
            peers.standardOutput.matches(of: /hub got "peer (\d) here" from 127\.0\.0\.1:\d+/).map {
                Int($0.1)!
            } == [1, 2, 3])
        let demo = try RunningProgram.built("udp-socket", ["demo"])
        #expect(try await demo.waitForExit() == 0)
        #expect(demo.standardOutput.contains("client got: 你好, hello"))
    }
}

/// The same programs beside their Node twins.
@Suite(.timeLimit(.minutes(1)))
struct UDPSocketNodeInteropTests {
    let twins = repositoryRoot.appendingPathComponent("Chapters/02-udp/node")

    private func sameOutput(_ arguments: [String], twin: String) async throws {
        let node = try requirePeer("node")
        let theirs = try RunningProgram(
            node, [twins.appendingPathComponent(twin).path] + arguments.dropFirst())
        let ours = try RunningProgram.built("udp-socket", arguments)
        #expect(try await theirs.waitForExit() == 0)
        #expect(try await ours.waitForExit() == 0)
        #expect(ours.standardOutput == theirs.standardOutput)
    }

    @Test func theEventsWalkthroughPrintsWhatNodePrints() async throws {
        try await sameOutput(["events"], twin: "events.js")
    }

    @Test func theLossyRelayDropsTheSameDatagramsAsNode() async throws {
        try await sameOutput(["loss", "100", "30"], twin: "loss.js")
    }

    @Test func theSwiftClientTalksToNodesServer() async throws {
        let node = try requirePeer("node")
        let server = try RunningProgram(
            node, [twins.appendingPathComponent("server.js").path, "0", "127.0.0.1"])
        let port = try udpPort(in: try await server.waitForOutput(containing: "server listening"))
        let client = try RunningProgram.built("udp-socket", ["client", "127.0.0.1", "\(port)", "深入", "浅出"])
        #expect(try await client.waitForExit() == 0)
        #expect(client.standardOutput == "client got: 你好, 深入 浅出\n")
        server.stop()
    }

    @Test func nodesClientTalksToTheSwiftServer() async throws {
        let node = try requirePeer("node")
        let server = try RunningProgram.built("udp-socket", ["--port", "0", "--host", "127.0.0.1"])
        let port = try udpPort(in: try await server.waitForOutput(containing: "server listening"))
        let client = try RunningProgram(
            node, [twins.appendingPathComponent("client.js").path, "127.0.0.1", "\(port)", "hi"])
        #expect(try await client.waitForExit() == 0)
        #expect(client.standardOutput == "client got: 你好, hi\n")
        server.stop()
    }
}

/// A UDP port nobody else can be given while this lives (bound, never read).
final class ReservedUDPPort {
    private let fd: Int32
    let number: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        number = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
