import Foundation
import TestSupport
import Testing

/// Chapter 1's program, run as a student runs it, checked over real sockets.
@Suite(.timeLimit(.minutes(2)))
struct TCPEchoProgramTests {
    let greeting = "欢迎光临《深入浅出node.js》"

    @Test func greetsRepliesAndLogsTheDisconnect() async throws {
        let server = try RunningProgram.built("tcp-echo", ["--port", "0", "--host", "127.0.0.1"])
        let port = try listeningPort(in: try await server.waitForOutput(containing: "端口"))
        let client = try PlainTCPClient(port: port)
        #expect(client.receive(greeting.utf8.count) == Array(greeting.utf8))
        client.send("hello")
        #expect(client.receive(6) == Array("你好".utf8))
        client.finishWriting()
        try await server.waitForOutput(containing: "连接断开")
        #expect(client.peerClosed(), "without allowHalfOpen the server ends its side too")
        server.stop()
    }

    /// The telnet client with its standard input from a file or from `/dev/null` (a script, `<
    /// input.txt`), which the loop cannot watch as it watches a pipe or a terminal: the file's
    /// bytes are sent and answered, and the client ends when its input does. It used to trap.
    @Test(arguments: [true, false]) func theClientTakesAFileOrNothingAsItsInput(fromAFile: Bool) async throws
    {
        let server = try RunningProgram.built("tcp-echo", ["--port", "0", "--host", "127.0.0.1"])
        defer { server.stop() }
        let port = try listeningPort(in: try await server.waitForOutput(containing: "端口"))
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("tcp-echo-input-\(UUID())")
        try Data("hello\n".utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let client = try RunningProgram.built(
            "tcp-echo", ["client", "127.0.0.1", "\(port)"],
            standardInput: fromAFile ? input.path : "/dev/null")
        #expect(try await client.waitForExit() == 0, "\(client.standardError)")
        #expect(client.standardOutput.hasPrefix("已连接到 127.0.0.1:\(port)\n\(greeting)"))
        #expect(client.standardOutput.hasSuffix(fromAFile ? "你好" : greeting), "\(client.standardOutput)")
    }

    /// Without the socket's `error` listener (the book has none), one client's reset would be an
    /// unhandled error and end the program for everyone, in Node as here.
    @Test func aClientsResetIsLoggedAndTheServerServesTheNext() async throws {
        let server = try RunningProgram.built("tcp-echo", ["--port", "0", "--host", "127.0.0.1"])
        defer { server.stop() }
        let port = try listeningPort(in: try await server.waitForOutput(containing: "端口"))
        let rude = try PlainTCPClient(port: port)
        #expect(rude.receive(greeting.utf8.count) == Array(greeting.utf8))
        rude.send("hello")
        #expect(rude.receive(6) == Array("你好".utf8))
        rude.reset()
        try await server.waitForOutput(containing: "连接出错: ECONNRESET")
        let next = try PlainTCPClient(port: port)
        #expect(next.receive(greeting.utf8.count) == Array(greeting.utf8))
        next.send("again")
        #expect(next.receive(6) == Array("你好".utf8))
    }

    @Test func aBusyPortEndsTheProgramWithTheErrorLikeNode() async throws {
        let first = try RunningProgram.built("tcp-echo", ["--port", "0", "--host", "127.0.0.1"])
        let port = try listeningPort(in: try await first.waitForOutput(containing: "端口"))
        let second = try RunningProgram.built("tcp-echo", ["--port", "\(port)", "--host", "127.0.0.1"])
        #expect(try await second.waitForExit() == 1)
        #expect(second.standardError.contains("listen EADDRINUSE: address already in use 127.0.0.1:\(port)"))
        first.stop()
    }

    @Test func theTelnetClientRelaysStdinAndStdout() async throws {
        let server = try RunningProgram.built("tcp-echo", ["--port", "0", "--host", "127.0.0.1"])
        let port = try listeningPort(in: try await server.waitForOutput(containing: "端口"))
        let client = try RunningProgram.built("tcp-echo", ["client", "127.0.0.1", "\(port)"])
        try await telnetSession(client: client, server: server)
    }

    @Test func theEventsWalkthroughShowsEveryEventInOrder() async throws {
        let program = try RunningProgram.built("tcp-echo", ["events"])
        #expect(try await program.waitForExit() == 0)
        let expected = [
            "server listening", "server error EADDRINUSE", "socket(client) connect", "server connection",
            "socket(server-side) data \"ping\"", "socket(client) data \"pong\"", "socket(client) finish",
            "socket(server-side) end", "socket(server-side) finish",
            "socket(server-side) close hadError=false",
            "socket(client) end", "socket(client) close hadError=false",
            "socket(server-side) write() returned false", "socket(server-side) drain writableLength=0",
            "socket(client) error ECONNRESET", "socket(client) close hadError=true",
            "socket(client) timeout destroyed=false", "server close",
        ]
        let lines = program.standardOutput.split(separator: "\n").map(String.init)
        var position = lines.startIndex
        for event in expected {
            let found = lines[position...].firstIndex { $0.hasPrefix(event) }
            #expect(found != nil, "\(event) missing or out of order in:\n\(program.standardOutput)")
            position = (found ?? position) + 1
        }
    }

    @Test func tracingPrintsEachEventAsItIsEmitted() async throws {
        let program = try RunningProgram.built("tcp-echo", ["demo"], environment: ["NODENET_TRACE": "1"])
        #expect(try await program.waitForExit() == 0)
        let trace = program.standardError
        #expect(trace.contains(/\[nodenet \+[0-9.]+ms\] Server#\d+ listening/))
        #expect(trace.contains(/Socket\(server\)#\d+ data \(5 bytes\)/))
        #expect(trace.contains(/Socket#\d+ close false/))
    }

    @Test func aProgramWithNothingLeftToDoExitsByItself() async throws {
        let program = try RunningProgram.built("tcp-echo", ["demo"])
        #expect(try await program.waitForExit() == 0)
        #expect(program.standardOutput.contains("client received: 你好"))
        #expect(program.standardOutput.contains("server: 连接断开"))
    }

    @Test func theNagleExperimentReportsBothRounds() async throws {
        let program = try RunningProgram.built("tcp-echo", ["nagle", "--writes", "20"])
        #expect(try await program.waitForExit() == 0)
        let rounds = program.standardOutput.matches(of: /: (\d+) data events, 200 bytes/)
        #expect(rounds.count == 2, "\(program.standardOutput)")
        #expect(rounds.allSatisfy { (1...20).contains(Int($0.1)!) })
    }
}

/// The same programs against their Node twins, which nobody here wrote in Swift.
@Suite(.timeLimit(.minutes(2)))
struct TCPEchoNodeInteropTests {
    let twins = repositoryRoot.appendingPathComponent("Chapters/01-tcp/node")

    @Test func nodesClientTalksToTheSwiftServer() async throws {
        let node = try requirePeer("node")
        let server = try RunningProgram.built("tcp-echo", ["--port", "0", "--host", "127.0.0.1"])
        let port = try listeningPort(in: try await server.waitForOutput(containing: "端口"))
        let client = try RunningProgram(node, [twins.appendingPathComponent("client.js").path, "\(port)"])
        try await telnetSession(client: client, server: server)
    }

    @Test func theSwiftClientTalksToNodesServer() async throws {
        let node = try requirePeer("node")
        let server = try RunningProgram(
            node, [twins.appendingPathComponent("server.js").path, "0", "127.0.0.1"])
        let port = try listeningPort(in: try await server.waitForOutput(containing: "端口"))
        let client = try RunningProgram.built("tcp-echo", ["client", "127.0.0.1", "\(port)"])
        try await telnetSession(client: client, server: server)
    }

    @Test func nodesEventsTwinShowsTheSameOrder() async throws {
        let node = try requirePeer("node")
        let twin = try RunningProgram(node, [twins.appendingPathComponent("events.js").path])
        #expect(try await twin.waitForExit() == 0)
        let swift = try RunningProgram.built("tcp-echo", ["events"])
        #expect(try await swift.waitForExit() == 0)
        // The conversation scene, side by side: the order of these events is Node's contract.
        let conversation = [
            "socket(server-side) data \"ping\"", "socket(client) data \"pong\"", "socket(client) finish",
            "socket(server-side) end", "socket(server-side) finish",
            "socket(server-side) close hadError=false",
            "socket(client) end", "socket(client) close hadError=false",
        ]
        for output in [twin.standardOutput, swift.standardOutput] {
            let lines = output.split(separator: "\n").map(String.init).filter { line in
                conversation.contains { line.hasPrefix($0) }
            }
            #expect(Array(lines.prefix(conversation.count)) == conversation, "\(output)")
        }
    }
}

/// The §1.2 session between a running client and server: the greeting arrives, a line gets 你好,
/// Ctrl-D ends the client's side, the server logs 连接断开, and the client exits by itself.
func telnetSession(client: RunningProgram, server: RunningProgram) async throws {
    try await client.waitForOutput(containing: "欢迎光临《深入浅出node.js》")
    client.type("hello\n")
    try await client.waitForOutput(containing: "你好")
    client.closeInput()
    #expect(try await client.waitForExit() == 0, "the client ends by itself once the server hangs up")
    try await server.waitForOutput(containing: "连接断开")
    server.stop()
}
