import ArgumentParser
import NodeNet

/// `swift run tcp-echo [subcommand]`: the programs of the book's §1 (TCP).
@main struct TCPEcho: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tcp-echo",
        abstract: "Chapter 1 (TCP): the book's echo server, a telnet client, §1.3's events, Nagle.",
        subcommands: [Serve.self, Client.self, Events.self, Nagle.self, Demo.self],
        defaultSubcommand: Serve.self
    )
}

/// Where to listen or connect.
struct Endpoint: ParsableArguments {
    @Option(help: "The TCP port (0 picks a free one).") var port = 3000
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The §1.2 server (talk to it with `client`).")
    @OptionGroup var endpoint: Endpoint
    @Option(help: "The address to listen on (default: every interface, as in the book).") var host: String?

    func run() {
        let (port, host) = (endpoint.port, host)
        Node.run { startEchoServer(port: port, host: host) }
    }
}

struct Client: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A telnet for the server: stdin → socket → stdout.")
    @Argument(help: "The server's host.") var host = "127.0.0.1"
    @Argument(help: "The server's port.") var port = 3000

    func run() {
        let (port, host) = (port, host)
        Node.run { runTelnetClient(port: port, host: host) }
    }
}

struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Every event of §1.3, caused and printed in order.")
    @Option(help: "The TCP port (0 picks a free one).") var port = 0

    func run() {
        let port = port
        Node.run { await walkThroughEvents(port: port) }
    }
}

struct Nagle: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Many small writes with Nagle on, then off.")
    @Option(help: "How many writes.") var writes = 200
    @Option(help: "Bytes per write.") var size = 10

    func run() {
        let (writes, size) = (writes, size)
        Node.run { await compareNagle(writes: writes, size: size) }
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The §1.2 server and a client talking to it, on a free port (what the tour runs)."
    )

    func run() {
        Node.run { await converseWithEchoServer() }
    }
}
