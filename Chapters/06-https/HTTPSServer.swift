import ArgumentParser
import Foundation
import NodeNet

/// `swift run https-server [subcommand]`: §6, an HTTPS server with the chapter 5 certificate.
@main struct HTTPSServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "https-server",
        abstract: "Chapter 6 (HTTPS): the HTTP server of chapter 3 over TLS, and a client that verifies it.",
        subcommands: [Serve.self, Client.self, Demo.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "An HTTPS server on 8443 with keys/server.key and keys/server.crt (from `tls-certs keys`).")
    @Option(help: "The folder `swift run tls-certs keys` wrote.") var keys = "keys"
    @Option(help: "The TCP port (0 picks a free one).") var port = 8443

    func run() throws {
        let files = try CertificateFiles(folder: URL(fileURLWithPath: keys))
        let port = port
        Node.run { startHTTPSServer(files.server, port: port) }
    }
}

struct Client: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "https.get with keys/ca.crt as the only CA trusted: a verified request.")
    @Option(help: "The folder `swift run tls-certs keys` wrote.") var keys = "keys"
    @Option(help: "The URL to get.") var url = "https://localhost:8443/"

    func run() throws {
        let files = try CertificateFiles(folder: URL(fileURLWithPath: keys))
        let url = url
        Node.run { await fetch(url, trusting: files.ca) }
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A certificate made in memory, the server on a free port, and a verified request.")

    func run() throws {
        Node.run { await runTheDemo() }
    }
}

/// The PEM files of `tls-certs keys` that HTTPS needs.
struct CertificateFiles {
    let server: TLSOptions
    let ca: String

    init(folder: URL) throws {
        func read(_ name: String) throws -> String {
            let file = folder.appendingPathComponent(name)
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                throw MissingKeys(
                    description: "no \(file.path): run `swift run tls-certs keys \(folder.path)` first")
            }
            return text
        }
        server = TLSOptions(key: try read("server.key"), cert: try read("server.crt"))
        ca = try read("ca.crt")
    }

    init(server: TLSOptions, ca: String) {
        self.server = server
        self.ca = ca
    }
}

struct MissingKeys: Error, CustomStringConvertible {
    let description: String
}
