import ArgumentParser
import Foundation
import NIOPosix

/// `swift run -c release bench`: the chapter servers against their Node twins and raw SwiftNIO.
@main struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measures each chapter's server against its Node twin and a raw SwiftNIO server.",
        subcommands: [Run.self, RawServerCommand.self],
        defaultSubcommand: Run.self
    )
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Runs the workloads (all by default) and prints the table.")

    @Argument(help: "Workloads to run, by name or prefix (tcp, http-hello…); all when none.")
    var workloads: [String] = []
    @Option(help: "Length of each measured round, in seconds.") var seconds = 2.0
    @Option(help: "Unmeasured load before each round, in seconds.") var warmup = 0.5
    @Option(help: "Rounds per server, alternating the order of the servers.") var rounds = 2
    @Option(help: "Connections held open by the memory workloads.") var idle = 10_000
    @Option(help: "Students in the classroom workload.") var students = 200
    @Option(help: "Also write the results as JSON to this file, and a chart beside it (.svg).")
    var json: String?
    @Option(
        help: """
            Threads of the SwiftNIO load client, so that on a bigger machine it is not the limit \
            (the TLS workloads' client is NodeNet, on its one thread).
            """)
    var clientThreads = 1
    @Flag(help: "List the workloads and exit.") var list = false

    func validate() throws {
        guard clientThreads >= 1 else { throw ValidationError("--client-threads must be at least 1") }
    }

    func run() throws {
        let available = Workload.all(idleConnections: idle, students: students)
        if list {
            for workload in available { print("\(workload.name): \(workload.title)") }
            return
        }
        let chosen =
            workloads.isEmpty
            ? available
            : available.filter { workload in
                workloads.contains { workload.name == $0 || workload.name.hasPrefix($0 + "-") }
            }
        guard !chosen.isEmpty else { throw ValidationError("no workload matches \(workloads); see --list") }
        ServerProcess.stopAllOnSignal()
        raiseFileLimit(to: idle + 1000)
        let place = try Place.find()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: clientThreads)
        defer { try? group.syncShutdownGracefully() }
        let keys = Keys(place: place)
        defer { keys.remove() }
        let runner = Runner(
            place: place, client: LoadClient(group: group), seconds: seconds, warmup: warmup, rounds: rounds,
            keys: keys.folder)
        var results: [WorkloadResult] = []
        for workload in chosen {
            FileHandle.standardError.write(Data("bench: \(workload.name)…\n".utf8))
            results.append(try runner.run(workload))
        }
        let arguments = CommandLine.arguments.dropFirst().joined(separator: " ")
        let run = BenchRun(
            machine: .describe(node: place.node), command: "swift run -c release bench \(arguments)",
            secondsPerRound: seconds, warmupSeconds: warmup, rounds: rounds, clientThreads: clientThreads,
            workloads: results)
        print(Report.table(run))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let file = URL(fileURLWithPath: json)
            try encoder.encode(run).write(to: file)
            let chart = file.deletingPathExtension().appendingPathExtension("svg")
            try Data(Chart.svg(run).utf8).write(to: chart)
            print("wrote \(file.path) and \(chart.path)")
        }
    }

    /// Thousands of connections need thousands of descriptors, in this process and in the
    /// servers, which inherit the limit.
    private func raiseFileLimit(to wanted: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = min(limit.rlim_max, max(limit.rlim_cur, rlim_t(wanted)))
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if Int(limit.rlim_cur) < wanted {
            FileHandle.standardError.write(
                Data("bench: only \(limit.rlim_cur) file descriptors; --idle \(idle) may fail\n".utf8))
        }
    }
}

/// The keys for the TLS workloads: made by `tls-certs keys` in a temporary folder on first
/// need (as a student would make them), removed at the end.
final class Keys: @unchecked Sendable {
    private let place: Place
    private var made: String?

    init(place: Place) { self.place = place }

    func folder() throws -> String {
        if let made { return made }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bench-keys-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: place.executable("tls-certs"))
        process.arguments = ["keys", folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("tls-certs keys \(folder.path) failed") }
        made = folder.path
        return folder.path
    }

    func remove() {
        if let made { try? FileManager.default.removeItem(atPath: made) }
    }
}

struct RawServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raw-server", abstract: "One of the raw SwiftNIO servers (the bench starts them).",
        shouldDisplay: false)

    @Argument(help: "tcp, udp, http or websocket.") var kind: String
    @Option(help: "The port (0 picks a free one).") var port = 0

    func run() throws {
        guard let server = RawServer(rawValue: kind) else { throw ValidationError("no raw server \(kind)") }
        try server.run(port: port)
    }
}
