import Foundation
import TestSupport
import Testing

/// `swift run tour`, the README's first command, runs every chapter's demo and succeeds.
@Suite(.timeLimit(.minutes(2)))
struct TourTests {
    @Test func theTourRunsEveryChapterAndSucceeds() async throws {
        let tour = try RunningProgram.built("tour")
        #expect(try await tour.waitForExit(seconds: 90) == 0, "\(tour.standardOutput)\(tour.standardError)")
        #expect(tour.standardOutput.contains("Chapter 1"))
        #expect(tour.standardOutput.contains("client received: 你好"))
        #expect(tour.standardOutput.contains("server close"))
        #expect(tour.standardOutput.contains("Chapter 2"))
        #expect(tour.standardOutput.contains("event: message \"ping\""))
        #expect(tour.standardOutput.contains("sent 100, relayed 68, dropped 32, received 68"))
        #expect(tour.standardOutput.contains("Chapter 3"))
        #expect(tour.standardOutput.contains("HTTP/1.1 200 OK⏎"))
        #expect(tour.standardOutput.contains("client: POST /upload → 417 Expectation Failed"))
        #expect(tour.standardOutput.contains("Chapter 4"))
        #expect(tour.standardOutput.contains("base64       s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
        #expect(tour.standardOutput.contains("FIN 1 · RSV 000 · opcode 1 (text) · MASK 1 · length 5"))
        #expect(tour.standardOutput.contains("client: echoed: {\"update\":5}"))
        #expect(tour.standardOutput.contains("Chapter 5"))
        #expect(tour.standardOutput.contains("server: secure connection from CN=student, authorized: true"))
        #expect(tour.standardOutput.contains("client: refused the connection: SELF_SIGNED_CERT_IN_CHAIN"))
        #expect(tour.standardOutput.contains("Chapter 6"))
        #expect(tour.standardOutput.contains("client: hello over HTTPS (TLSv1.3"))
        #expect(tour.standardOutput.contains("every demo ran"))
    }

    /// `tour --help` says what the tour runs and runs none of it (ReadmeCommandTests asks every
    /// program for its help, and a tour that ran instead took half a minute).
    @Test func helpListsEveryStopAndRunsNone() async throws {
        let tour = try RunningProgram.built("tour", ["--help"])
        #expect(try await tour.waitForExit(seconds: 10) == 0)
        #expect(tour.standardOutput.hasPrefix("USAGE: swift run tour"))
        #expect(tour.standardOutput.contains("swift run tls-certs mitm"))
        #expect(!tour.standardOutput.contains("════"), "the help ran the tour: \(tour.standardOutput)")
        let wrong = try RunningProgram.built("tour", ["--fast"])
        #expect(try await wrong.waitForExit(seconds: 10) == 64)
        #expect(wrong.standardError.contains("tour takes no arguments (got --fast)"))
    }

    /// `swift run tour` builds only the tour's dependencies: on a fresh clone a chapter program the
    /// tour runs but does not depend on is never built, and its stop fails ("file doesn't exist").
    @Test func theTourDependsOnEveryChapterProgram() throws {
        let manifest = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let chapters = manifest.matches(of: /chapter\("([\w-]+)"/).map { String($0.1) }
        let tour = try #require(
            manifest.firstMatch(of: /name: "tour",\s*dependencies: \[([^\]]*)\]/),
            "Package.swift declares no tour target with its dependencies")
        let dependencies = Set(tour.1.matches(of: /"([\w-]+)"/).map { String($0.1) })
        #expect(!chapters.isEmpty, "Package.swift declares no chapter(…) targets")
        let source = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Sources/tour/main.swift"), encoding: .utf8)
        let run = Set(source.matches(of: /program: "([\w-]+)"/).map { String($0.1) })
        #expect(
            !run.isEmpty && run.isSubset(of: Set(chapters)), "the tour runs \(run), not all of them chapters")
        #expect(
            run.subtracting(dependencies).isEmpty,
            "the tour runs \(run.subtracting(dependencies).sorted()) without depending on them")
    }
}
