import ArgumentParser
import Foundation
import NodeNet

/// `swift run tls-certs [subcommand]`: the keys and certificates of the book's §5, and TLS with them.
@main struct TLSCerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls-certs",
        abstract:
            "Chapter 5 (TLS): the book's keys and certificates made in Swift, mutual TLS, and a man in the middle.",
        subcommands: [Keys.self, Server.self, Client.self, MITM.self, Demo.self],
        defaultSubcommand: Demo.self
    )
}

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "§5.1.1–5.1.2: each openssl step of the book, done in Swift, into a folder (checked by openssl).")
    @Argument(help: "Where to write the files.") var folder = "keys"
    @Option(help: "RSA key size (the book's 1024 is refused by TLS here: try it).") var bits = 2048
    @Flag(help: "Replace private keys already in the folder (they are kept otherwise).") var force = false

    func run() throws {
        try makeTheBooksKeys(in: URL(fileURLWithPath: folder), bits: bits, force: force)
    }
}

struct Server: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A mutual-TLS echo server on 8000 with the keys from `tls-certs keys`.")
    @Option(help: "The folder `tls-certs keys` wrote.") var keys = "keys"
    @Option(help: "The TCP port (0 picks a free one).") var port = 8000

    func run() throws {
        let files = try KeyFiles(folder: URL(fileURLWithPath: keys))
        let port = port
        Node.run { startMutualTLSServer(files, port: port) }
    }
}

struct Client: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "A TLS client with the client certificate: says what it verified, sends a line, prints the echo.")
    @Option(help: "The folder `tls-certs keys` wrote.") var keys = "keys"
    @Option(help: "The server's port.") var port = 8000
    @Option(help: "The host name to connect to and check.") var host = "localhost"

    func run() throws {
        let files = try KeyFiles(folder: URL(fileURLWithPath: keys))
        let (port, host) = (port, host)
        Node.run { await talkToTheServer(files, port: port, host: host) }
    }
}

struct MITM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mitm",
        abstract: "§5.1's man in the middle: an interceptor with its own certificate for the same name.")

    func run() throws {
        Node.run { await showTheManInTheMiddle() }
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Keys in memory, a mutual-TLS server on a free port, and a client: the whole chapter in one run.")

    func run() throws {
        Node.run { await runTheDemo() }
    }
}
