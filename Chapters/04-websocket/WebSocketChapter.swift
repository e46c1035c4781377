import ArgumentParser
import NodeNet

/// `swift run websocket [subcommand]`: the programs of the book's §4 (WebSocket).
@main struct WebSocketChapter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "websocket",
        abstract:
            "Chapter 4 (WebSocket): the book's updates server and client, the handshake and the frames.",
        subcommands: [Serve.self, Handshake.self, Frames.self, Client.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The §4 server: echoes every message on /updates; / serves the book's client page.")
    @Option(help: "The TCP port (0 picks a free one).") var port = 12010
    @Option(help: "The address to listen on.") var host = "127.0.0.1"

    func run() {
        let (port, host) = (port, host)
        Node.run { _ = startUpdatesServer(port: port, host: host) }
    }
}

struct Handshake: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "§4.1 the handshake step by step: the accept value for the RFC's key, then a live one.")

    func run() {
        Node.run { await showTheHandshake() }
    }
}

struct Frames: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "§4.3 a frame inspector: every frame the client sends and receives, field by field.")

    func run() {
        Node.run { await inspectFrames() }
    }
}

struct Client: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The book's client in Swift: an update every 50 ms while nothing is buffered.")
    @Argument(help: "A ws:// URL (default: start the server here and use it).") var url: String?
    @Option(help: "How many updates to send before closing (0: never stop).") var count = 10

    func run() {
        let (url, count) = (url, count)
        Node.run { await runTheBooksClient(url: url, count: count) }
    }
}
