import Foundation
import NIOCore
import NodeNet

/// Runs workloads: starts the servers, alternates rounds between them, and measures.
struct Runner {
    let place: Place
    let client: LoadClient
    let seconds: Double
    let warmup: Double
    let rounds: Int
    /// Where `tls-certs keys` wrote the TLS workloads' keys, made on first need.
    let keys: () throws -> String
    /// The classroom workload's class (a new one for each run of it).
    let classFolder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-class-\(UUID())")

    func run(_ workload: Workload) throws -> WorkloadResult {
        let trio: ServerTrio
        switch workload.servers {
        case .plain(let plain): trio = plain
        case .secure(let make): trio = make(try keys())
        case .classroom: trio = .classroom(folder: classFolder.path)
        }
        defer { try? FileManager.default.removeItem(at: classFolder) }
        var result = WorkloadResult(
            name: workload.name, title: workload.title, unit: workload.unit, goal: workload.goal)
        // All three run for the whole workload, so none has the machine to itself in its rounds.
        let servers = try Dictionary(
            uniqueKeysWithValues: trio.implementations.map { ($0, try trio.start($0, in: place)) })
        defer { for server in servers.values { server.stop() } }
        if case .idle(let exchange, let connections) = workload.load {
            for implementation in trio.implementations {
                let (measurement, threads) = try idleMemory(
                    servers[implementation]!, exchange: exchange, connections: connections)
                result.results[implementation.rawValue] = measurement
                result.clientThreads = max(result.clientThreads, threads)
            }
            result.loadClient = workload.load.client(threads: result.clientThreads)
            return result
        }
        var rounds: [Implementation: [(LoadClient.Round, cpu: Double)]] = [:]
        // The load client's own CPU time, to show when it, not a server, was the limit.
        var (clientCPU, clientTime) = (0.0, 0.0)
        for round in 0..<self.rounds {
            // A, B, C then C, B, A: each server goes first as often as last.
            let order = round.isMultiple(of: 2) ? trio.implementations : trio.implementations.reversed()
            for implementation in order {
                let server = servers[implementation]!
                let before = try cpu(of: server)
                let (clientBefore, started) = (ProcessStats(pid: getpid())?.cpuSeconds ?? 0, Date())
                let measured = try self.round(workload.load, server: server)
                rounds[implementation, default: []].append((measured, try cpu(of: server) - before))
                result.clientThreads = max(result.clientThreads, measured.threads)
                clientCPU += (ProcessStats(pid: getpid())?.cpuSeconds ?? 0) - clientBefore
                clientTime += Date().timeIntervalSince(started)
            }
        }
        result.loadClientBusy = clientTime > 0 ? clientCPU / clientTime : nil
        result.loadClient = workload.load.client(threads: result.clientThreads)
        for implementation in trio.implementations {
            result.results[implementation.rawValue] = measurement(
                workload.load, rounds[implementation]!,
                peak: servers[implementation]!.stats?.peakResidentBytes ?? 0)
        }
        return result
    }

    private func cpu(of server: ServerProcess) throws -> Double {
        guard let stats = server.stats else {
            throw BenchError("a server died: \(server.process.arguments ?? [])")
        }
        return stats.cpuSeconds
    }

    private func round(_ load: Workload.Load, server: ServerProcess) throws -> LoadClient.Round {
        let port = server.port
        switch load {
        case .closedLoop(let exchange, let connections):
            return try client.closedLoop(
                port: port, exchange: exchange, connections: connections, warmup: warmup, seconds: seconds)
        case .upload(let chunk, let connections):
            return try client.upload(
                port: port, chunk: chunk, connections: connections, warmup: warmup, seconds: seconds)
        case .datagrams(let message, let sockets):
            return try client.datagrams(
                port: port, message: message, sockets: sockets, warmup: warmup, seconds: seconds)
        case .handshakes(let lanes):
            let options = try clientTLSOptions(withCertificate: true)
            return try onNodeLoop { [warmup, seconds] in
                try await SecureLoad.handshakes(
                    port: port, options: options, lanes: lanes, warmup: warmup, seconds: seconds)
            }
        case .httpsRequests(let lanes):
            let options = try clientTLSOptions(withCertificate: false)
            return try onNodeLoop { [warmup, seconds] in
                try await SecureLoad.requests(
                    port: port, tls: options, lanes: lanes, warmup: warmup, seconds: seconds)
            }
        case .classroom(let students, let exercises, let every):
            let ca = try String(contentsOf: classFolder.appendingPathComponent("ca.crt"), encoding: .utf8)
            let teacher = String(server.banner.firstMatch(of: /token=([0-9a-f]+)/)?.1 ?? "")
            let plan = ClassroomLoad.Plan(
                students: students, exercises: exercises, every: every, seconds: max(seconds, every))
            return try onNodeLoop {
                try await ClassroomLoad.reports(port: port, ca: ca, teacher: teacher, plan: plan)
            }
        case .idle: fatalError("idle connections are measured by idleMemory")
        }
    }

    /// Trusts the keys' CA; the mutual-TLS server also wants our client certificate.
    private func clientTLSOptions(withCertificate: Bool) throws -> TLSOptions {
        let folder = URL(fileURLWithPath: try keys())
        func read(_ name: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        var options = TLSOptions(ca: [try read("ca.crt")])
        if withCertificate {
            options.key = try read("client.key")
            options.cert = try read("client.crt")
        }
        return options
    }

    /// The main number, latency and CPU per operation over every round.
    private func measurement(_ load: Workload.Load, _ rounds: [(LoadClient.Round, cpu: Double)], peak: Int)
        -> Measurement
    {
        let perRound: [Double] = rounds.map { round, _ in
            if case .upload = load { return Double(round.stats.bytes) / 1e6 / round.stats.seconds }
            return Double(round.stats.operations) / round.stats.seconds
        }
        let operations = rounds.map { round, _ in
            if case .upload(let chunk, _) = load { return round.allBytes / chunk }
            return round.allOperations
        }.reduce(0, +)
        let cpu = rounds.map(\.cpu).reduce(0, +)
        let latencies = Percentiles(nanoseconds: rounds.flatMap { $0.0.stats.latencies })
        var measurement = Measurement(
            value: perRound.reduce(0, +) / Double(perRound.count), rounds: perRound,
            p50Microseconds: latencies?.p50, p99Microseconds: latencies?.p99,
            cpuMicrosecondsPerOperation: operations > 0 ? cpu * 1e6 / Double(operations) : nil,
            peakResidentBytes: peak)
        switch load {
        case .datagrams, .classroom: measurement.lost = rounds.map { $0.0.stats.lost }.reduce(0, +)
        default: break
        }
        return measurement
    }

    /// Opens `connections` connections (each through its opening exchange), lets the server
    /// settle, and reads how much its resident memory grew per connection; and on how many
    /// threads the client held them.
    private func idleMemory(_ server: ServerProcess, exchange: Exchange, connections: Int) throws
        -> (Measurement, threads: Int)
    {
        // A first small batch warms the server's allocator and code paths up.
        try client.hold(port: server.port, exchange: exchange, connections: 100) {}
        let before = try resident(server)
        var after = 0
        let threads = try client.hold(port: server.port, exchange: exchange, connections: connections) {
            // Long enough for lazy work (a garbage collector, deferred frees) to have run.
            Thread.sleep(forTimeInterval: 1)
            after = try resident(server)
        }
        let measurement = Measurement(
            value: Double(after - before) / 1024 / Double(connections),
            peakResidentBytes: server.stats?.peakResidentBytes ?? 0)
        return (measurement, threads)
    }

    private func resident(_ server: ServerProcess) throws -> Int {
        guard let stats = server.stats else {
            throw BenchError("a server died: \(server.process.arguments ?? [])")
        }
        return stats.residentBytes
    }
}

/// Runs `body` on NodeNet's event loop and returns what it returned.
private func onNodeLoop<Value: Sendable>(_ body: @escaping @NodeActor () async throws -> Value) throws
    -> Value
{
    let box = ResultBox<Value>()
    _ = Node.runUntilIdle { () async in
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
    }
    return try box.result!.get()
}

/// Carries a result out of the loop; `runUntilIdle` returning orders the access.
private final class ResultBox<Value>: @unchecked Sendable {
    var result: Result<Value, any Error>?
}
