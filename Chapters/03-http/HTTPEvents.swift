import ArgumentParser
import NodeNet

/// `swift run http-events [subcommand]`: the programs of the book's §3 (HTTP).
@main struct HTTPEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http-events",
        abstract: "Chapter 3 (HTTP): a server that prints every §3.3 event, and a demo that fires each one.",
        subcommands: [Serve.self, Wire.self, Demo.self, Client.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "An HTTP server that prints each event as it fires.")
    @Option(help: "The TCP port (0 picks a free one).") var port = 1337
    @Option(help: "The address to listen on.") var host = "127.0.0.1"

    func run() {
        let (port, host) = (port, host)
        Node.run { _ = startEventsServer(port: port, host: host) }
    }
}

struct Wire: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One request and its response, byte for byte, as they cross the wire.")

    func run() {
        Node.run { await showTheWire() }
    }
}

struct Client: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "http.request against the server (its own, or --url): every event from the client's side.")
    @Option(help: "An http:// URL of a running server (default: start one here).") var url: String?

    func run() {
        let url = url
        Node.run { await driveEveryEvent(url: url) }
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Starts the server on a free port and sends it raw requests that fire every event.")

    func run() {
        Node.run { await fireEveryEvent() }
    }
}
