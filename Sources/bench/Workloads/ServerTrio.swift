import Foundation

/// The three servers a workload compares, by where they come from.
enum Implementation: String, CaseIterable, Codable, Sendable {
    /// The chapter program, on NodeNet.
    case ours
    /// The chapter's Node twin, `Chapters/*/node/server.js`.
    case node
    /// The same server written on SwiftNIO alone, in this program.
    case raw

    /// The column heading.
    var heading: String {
        switch self {
        case .ours: "NodeNet"
        case .node: "Node 20"
        case .raw: "raw NIO"
        }
    }
}

/// How to start each of a chapter's servers, and how each says which port it took.
struct ServerTrio: Sendable {
    let program: String
    let programArguments: [String]
    /// The Node twin's script; nil for a server that has none (the classroom).
    let twin: String?
    let twinArguments: [String]
    let listening: String
    let raw: RawServer?

    /// The book's §1.2 server.
    static let tcp = ServerTrio(
        program: "tcp-echo", programArguments: ["serve", "--port", "0", "--host", "127.0.0.1"],
        twin: "01-tcp/node/server.js", twinArguments: ["0", "127.0.0.1"], listening: #"正在监听(\d+)端口"#,
        raw: .tcp)
    /// The §2 datagram server.
    static let udp = ServerTrio(
        program: "udp-socket", programArguments: ["serve", "--port", "0", "--host", "127.0.0.1"],
        twin: "02-udp/node/server.js", twinArguments: ["0", "127.0.0.1"],
        listening: #"server listening [\d.]+:(\d+)"#, raw: .udp)
    /// The §3.3 events server.
    static let http = ServerTrio(
        program: "http-events", programArguments: ["serve", "--port", "0"],
        twin: "03-http/node/server.js", twinArguments: ["0", "127.0.0.1"],
        listening: #"listening on http://127\.0\.0\.1:(\d+)/"#, raw: .http)
    /// The §4 updates server.
    static let webSocket = ServerTrio(
        program: "websocket", programArguments: ["serve", "--port", "0"],
        twin: "04-websocket/node/server.js", twinArguments: ["0", "127.0.0.1"],
        listening: #"ws://127\.0\.0\.1:(\d+)/updates"#, raw: .websocket)

    /// The §5 mutual-TLS echo server, with the keys `tls-certs keys` wrote to `keys`.
    static func tls(keys: String) -> ServerTrio {
        ServerTrio(
            program: "tls-certs", programArguments: ["server", "--keys", keys, "--port", "0"],
            twin: "05-tls/node/server.js", twinArguments: [keys, "0"],
            listening: #"server: listening on 127\.0\.0\.1:(\d+)"#, raw: nil)
    }

    /// The §6 HTTPS server, with the same keys.
    static func https(keys: String) -> ServerTrio {
        ServerTrio(
            program: "https-server", programArguments: ["serve", "--keys", keys, "--port", "0"],
            twin: "06-https/node/server.js", twinArguments: [keys, "0"],
            listening: #"HTTPS server on https://localhost:(\d+)/"#, raw: nil)
    }

    /// The classroom server of chapter 7, its class in `folder`, with a join code the load
    /// client knows. It has no twin: the chapters' servers are compared, this one is measured.
    static func classroom(folder: String) -> ServerTrio {
        ServerTrio(
            program: "classroom",
            programArguments: [
                "--folder", folder, "--port", "0", "--host", "127.0.0.1", "--code", ClassroomLoad.joinCode,
            ],
            twin: nil, twinArguments: [], listening: #"on port (\d+)[\s\S]*token=[0-9a-f]{8}"#, raw: nil)
    }

    /// The implementations this trio has (TLS has no raw NIO server: see `SecureLoad`).
    var implementations: [Implementation] {
        twin == nil ? [.ours] : raw == nil ? [.ours, .node] : Implementation.allCases
    }

    /// Starts one of the three.
    func start(_ implementation: Implementation, in place: Place) throws -> ServerProcess {
        let pattern = try Regex(listening, as: (Substring, Substring).self)
        switch implementation {
        case .ours:
            return try ServerProcess(place.executable(program), programArguments, listening: pattern)
        case .node:
            return try ServerProcess(
                place.node, [place.chapters.appendingPathComponent(twin ?? "").path] + twinArguments,
                listening: pattern)
        case .raw:
            return try ServerProcess(
                place.executable("bench"), ["raw-server", raw!.rawValue, "--port", "0"],
                listening: try Regex(#"raw NIO listening on (\d+)"#, as: (Substring, Substring).self))
        }
    }
}

/// Where the programs are: this build's executables, the repository's chapters, `node`.
struct Place: Sendable {
    let buildFolder: URL
    let chapters: URL
    let node: String

    /// The executables are beside this one; the chapters are found from the working folder
    /// (`swift run` is run from the package), else from where this source file was compiled.
    static func find() throws -> Place {
        let build = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("Chapters") }
        guard let chapters = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) })
        else {
            throw BenchError("no Chapters folder: run the bench from the package's folder")
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard
            let node = path.split(separator: ":").map({ "\($0)/node" }).first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { throw BenchError("node is not on PATH: the bench compares with Node's twins") }
        return Place(buildFolder: build, chapters: chapters, node: node)
    }

    func executable(_ name: String) -> String { buildFolder.appendingPathComponent(name).path }
}
