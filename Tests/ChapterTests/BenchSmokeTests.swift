import Foundation
import TestSupport
import Testing

/// The benchmark is measured with `swift run -c release bench`, never here: this only checks,
/// in about a minute, that a short run of it starts every kind of server and load client and
/// reports what it measured. One run at a time: two would starve each other's servers on two cores.
@Suite(.serialized, .timeLimit(.minutes(3))) struct BenchSmokeTests {
    private struct Run: Decodable {
        struct Workload: Decodable {
            struct Measurement: Decodable {
                let value: Double
                let cpuMicrosecondsPerOperation: Double?
                let peakResidentBytes: Int
                let lost: Int?
            }

            let name: String
            let loadClient: String
            let clientThreads: Int
            let results: [String: Measurement]
        }

        let clientThreads: Int
        let workloads: [Workload]
    }

    /// What a short run printed, the JSON it wrote, and the chart beside that.
    private struct Output {
        let table: String
        let run: Run
        let chart: String
    }

    /// Runs `bench` with `arguments` and rounds of `seconds` (one by default), and reads what it
    /// wrote.
    private func bench(_ arguments: [String], seconds: String = "1") async throws -> Output {
        _ = try requirePeer("node")
        _ = try requirePeer("openssl")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("bench.json")
        let bench = try RunningProgram.built(
            "bench",
            arguments + [
                "--seconds", seconds, "--warmup", "0.2", "--rounds", "1", "--idle", "200", "--json",
                json.path,
            ])
        #expect(try await bench.waitForExit(seconds: 100) == 0, "\(bench.standardError)")
        return Output(
            table: bench.standardOutput,
            run: try JSONDecoder().decode(Run.self, from: Data(contentsOf: json)),
            chart: try String(contentsOf: folder.appendingPathComponent("bench.svg"), encoding: .utf8))
    }

    @Test func aShortRunMeasuresEveryServerAndWritesTheReport() async throws {
        let output = try await bench(["tcp-pingpong-1", "websocket-echo", "tcp-idle"])
        let table = output.table
        for line in ["tcp-pingpong-1: TCP ping-pong", "websocket-echo:", "tcp-idle:", "goal:"] {
            #expect(table.contains(line), "missing \(line) in:\n\(table)")
        }

        let run = output.run
        #expect(
            run.workloads.map(\.name) == ["tcp-pingpong-1", "websocket-echo", "tcp-idle"])
        // Without --client-threads the load client has one thread, even for 50 connections.
        #expect(run.clientThreads == 1)
        #expect(run.workloads.allSatisfy { $0.clientThreads == 1 })
        #expect(table.contains("load: SwiftNIO client, 1 thread,"), "\(table)")
        for workload in run.workloads {
            #expect(workload.results.keys.sorted() == ["node", "ours", "raw"], "\(workload.name)")
            for (server, measurement) in workload.results {
                #expect(measurement.peakResidentBytes > 1_000_000, "\(workload.name) \(server)")
                if workload.name != "tcp-idle" {
                    #expect(measurement.value > 0, "\(workload.name) \(server) measured nothing")
                    // CPU time is read from each server's CPU clock in nanoseconds, so even the lone
                    // ping-pong, which idles between round trips, shows some.
                    let cpu = try #require(
                        measurement.cpuMicrosecondsPerOperation,
                        "\(workload.name) \(server) has no CPU per operation")
                    #expect(cpu > 0, "\(workload.name) \(server) did nothing")
                }
            }
        }
        #expect(output.chart.hasPrefix("<svg"))
        #expect(output.chart.contains("tcp-pingpong-1") && output.chart.contains("</svg>"))
    }

    /// TLS on its own, in five-second rounds: its load client is a debug build of NodeNet's TLS
    /// beside a whole `swift test`, and on two cores it once finished no handshake in a one-second
    /// round. TLS has no raw NIO server.
    @Test func theTLSWorkloadMeasuresHandshakesOnBothServers() async throws {
        let run = try await bench(["tls-handshake"], seconds: "5").run
        #expect(run.workloads.map(\.name) == ["tls-handshake"])
        for workload in run.workloads {
            #expect(workload.results.keys.sorted() == ["node", "ours"])
            for (server, measurement) in workload.results {
                #expect(measurement.value > 0, "\(server) finished no handshake")
                #expect((measurement.cpuMicrosecondsPerOperation ?? 0) > 0, "\(server) did nothing")
                #expect(measurement.peakResidentBytes > 1_000_000, "\(server)")
            }
        }
    }

    /// `--client-threads 2` spreads each kind of SwiftNIO load (closed loop, datagrams, idle
    /// connections) over two threads, and the report says so. The count comes from the
    /// connections' event loops, not from the option, so an option that changed nothing fails.
    @Test func clientThreadsSpreadTheLoadClientOverThatManyThreads() async throws {
        let output = try await bench(["tcp-pingpong-50", "udp-echo", "tcp-idle", "--client-threads", "2"])
        #expect(output.run.clientThreads == 2)
        #expect(output.run.workloads.map(\.name) == ["tcp-pingpong-50", "udp-echo", "tcp-idle"])
        #expect(output.table.contains("load: SwiftNIO client, 2 threads"), "\(output.table)")
        for workload in output.run.workloads {
            #expect(workload.clientThreads == 2, "\(workload.name)")
            #expect(workload.loadClient == "SwiftNIO client, 2 threads", "\(workload.name)")
            for (server, measurement) in workload.results where workload.name != "tcp-idle" {
                #expect(measurement.value > 0, "\(workload.name) \(server) did nothing")
            }
        }
    }

    /// Chapter 7's classroom: a small class for one window (a report from each student every
    /// 2 s), every report acknowledged, and the one server it has measured.
    @Test func aShortClassroomRunLosesNoReport() async throws {
        let output = try await bench(["classroom", "--students", "10"])
        #expect(output.table.contains("10 students × 36 exercises"), "\(output.table)")
        #expect(output.table.contains("0 lost (met)"), "\(output.table)")
        let classroom = try #require(output.run.workloads.first { $0.name == "classroom" })
        #expect(classroom.results.keys.sorted() == ["ours"])
        let ours = try #require(classroom.results["ours"])
        #expect(ours.value >= 4, "ten students over a 2 s window: 5 reports a second")
        #expect((ours.cpuMicrosecondsPerOperation ?? 0) > 0)
        #expect(ours.peakResidentBytes > 1_000_000)
        #expect(ours.lost == 0)
    }
}
