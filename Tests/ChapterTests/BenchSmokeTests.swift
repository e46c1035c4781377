import Foundation
import TestSupport
import Testing

/// The benchmark is measured with `swift run -c release bench`, never here: this only checks,
/// in a quarter of a minute, that a short run of it starts every kind of server and load client and
/// reports what it measured.
@Suite(.timeLimit(.minutes(2))) struct BenchSmokeTests {
    private struct Run: Decodable {
        struct Workload: Decodable {
            struct Measurement: Decodable {
                let value: Double
                let cpuMicrosecondsPerOperation: Double?
                let peakResidentBytes: Int
                let lost: Int?
            }

            let name: String
            let results: [String: Measurement]
        }

        let workloads: [Workload]
    }

    /// Chapter 7's classroom: a small class for two seconds, every report acknowledged.
    @Test func aShortClassroomRunLosesNoReport() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let json = folder.path("bench.json")
        let bench = try RunningProgram.built(
            "bench", ["classroom", "--students", "10", "--seconds", "2", "--rounds", "1", "--json", json])
        #expect(try await bench.waitForExit(seconds: 100) == 0, "\(bench.standardError)")
        #expect(bench.standardOutput.contains("10 students × 36 exercises"), "\(bench.standardOutput)")
        #expect(bench.standardOutput.contains("0 lost (met)"), "\(bench.standardOutput)")
        let run = try JSONDecoder().decode(Run.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        let classroom = try #require(run.workloads.first { $0.name == "classroom" })
        #expect(classroom.results.keys.sorted() == ["ours"])
        let ours = try #require(classroom.results["ours"])
        // Ten students, a report every 2 s each, over a 2 s window.
        #expect(ours.value >= 4, "reports/s")
        #expect((ours.cpuMicrosecondsPerOperation ?? 0) > 0)
        #expect(ours.peakResidentBytes > 1_000_000)
        #expect(ours.lost == 0)
    }

    @Test func aShortRunMeasuresEveryServerAndWritesTheReport() async throws {
        _ = try requirePeer("node")
        _ = try requirePeer("openssl")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("bench.json")
        let bench = try RunningProgram.built(
            "bench",
            [
                "tcp-pingpong-1", "websocket-echo", "tls-handshake", "tcp-idle", "--seconds", "1",
                "--warmup", "0.2", "--rounds", "1", "--idle", "200", "--json", json.path,
            ])
        #expect(try await bench.waitForExit(seconds: 100) == 0, "\(bench.standardError)")
        let table = bench.standardOutput
        for line in [
            "tcp-pingpong-1: TCP ping-pong", "websocket-echo:", "tls-handshake:", "tcp-idle:", "goal:",
        ] {
            #expect(table.contains(line), "missing \(line) in:\n\(table)")
        }

        let run = try JSONDecoder().decode(Run.self, from: Data(contentsOf: json))
        #expect(
            run.workloads.map(\.name) == ["tcp-pingpong-1", "websocket-echo", "tls-handshake", "tcp-idle"])
        for workload in run.workloads {
            // TLS has no raw NIO server; every other workload has all three.
            let expected = workload.name == "tls-handshake" ? ["node", "ours"] : ["node", "ours", "raw"]
            #expect(workload.results.keys.sorted() == expected, "\(workload.name)")
            for (server, measurement) in workload.results {
                #expect(measurement.peakResidentBytes > 1_000_000, "\(workload.name) \(server)")
                if workload.name != "tcp-idle" {
                    #expect(measurement.value > 0, "\(workload.name) \(server) did nothing")
                    #expect((measurement.cpuMicrosecondsPerOperation ?? 0) > 0, "\(workload.name) \(server)")
                }
            }
        }
        let chart = try String(contentsOf: folder.appendingPathComponent("bench.svg"), encoding: .utf8)
        #expect(chart.hasPrefix("<svg"))
        #expect(chart.contains("tcp-pingpong-1") && chart.contains("</svg>"))
    }
}
