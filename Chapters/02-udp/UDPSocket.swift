import ArgumentParser
import NodeNet

/// `swift run udp-socket [subcommand]`: the programs of the book's §2 (UDP).
@main struct UDPSocket: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "udp-socket",
        abstract: "Chapter 2 (UDP): a datagram server and client, §2.1's events, many peers, loss.",
        subcommands: [Serve.self, Client.self, Events.self, Peers.self, Loss.self, Demo.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A UDP server that answers every datagram.")
    @Option(help: "The UDP port (0 picks a free one).") var port = 41234
    @Option(help: "The address to bind.") var host = "0.0.0.0"

    func run() {
        let (port, host) = (port, host)
        Node.run { try? startUDPServer(port: port, host: host) }
    }
}

struct Client: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sends one datagram and prints the answer.")
    @Argument(help: "The server's host.") var host = "127.0.0.1"
    @Argument(help: "The server's port.") var port = 41234
    @Argument(help: "The message.") var words: [String] = ["hello"]

    func run() {
        let (host, port, message) = (host, port, words.joined(separator: " "))
        Node.run {
            do {
                try sendAndWaitForReply(host: host, port: port, message: message)
            } catch let error as NodeError {
                print("client: \(error.message) (\(error.code))")
                process.exitCode = 1
            } catch {
                print("client: \(error)")
                process.exitCode = 1
            }
        }
    }
}

struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "listening, message, error, close: each caused and printed.")

    func run() {
        Node.run { try? await walkThroughUDPEvents() }
    }
}

struct Peers: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "One socket talking to three peers.")

    func run() {
        Node.run { try? await talkToThreePeers() }
    }
}

struct Loss: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A relay that drops a share of the datagrams.")
    @Argument(help: "How many datagrams.") var count = 100
    @Argument(help: "Percent dropped.") var dropPercent = 30

    func run() {
        let (count, dropPercent) = (count, dropPercent)
        Node.run { try? await relayWithLoss(count: count, dropPercent: dropPercent) }
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A server and a client on a free port (what the tour runs).")

    func run() {
        Node.run {
            let server = dgram.createSocket(.udp4)
            server.on(.message) { message, rinfo in
                print("server got: \(message.toString()) from \(rinfo.address) (\(rinfo.size) bytes)")
                try? server.send("你好, \(message.toString())", rinfo.port, rinfo.address)
            }
            await until { done in try? server.bind(0, "127.0.0.1", done) }
            let client = dgram.createSocket(.udp4)
            await until { done in
                client.once(.message) { reply, _ in
                    print("client got: \(reply.toString())")
                    done()
                }
                try? client.send("hello", server.address()!.port, "127.0.0.1")
            }
            try? client.close()
            try? server.close()
        }
    }
}
