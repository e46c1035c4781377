import Foundation
import Testing

@testable import KataRunner

/// The test binary's link as the driver's own jobs, read from its printout and run in order.
@Suite(.timeLimit(.minutes(1))) struct LinkJobsTests {
    private let link = ["/s/swiftc", "-o", "/b/Tests.xctest", "@/b/Objects.LinkFileList", "-emit-executable"]

    @Test func theJobsAreKeptWhenALaterOneReadsWhatAnEarlierOneWrote() throws {
        let jobs = try #require(
            LinkJobs(
                printedJobs: """
                    /s/swift-autolink-extract /b/A.o -o /b/Tests.autolink
                    /s/clang -fuse-ld=lld /b/A.o @/b/Tests.autolink -o /b/Tests.xctest
                    """, output: link))
        #expect(jobs.commands.map(\.first) == ["/s/swift-autolink-extract", "/s/clang"])
        #expect(jobs.commands[1].contains("@/b/Tests.autolink"))
    }

    @Test func aPlanThatCouldNotRunLaterIsNotUsed() {
        // A response file in a temporary folder, which the driver deletes once it has printed.
        #expect(
            LinkJobs(
                printedJobs: "/s/clang @/tmp/TemporaryDirectory.x/arguments.resp -o /b/Tests.xctest",
                output: link)
                == nil)
        // A plan that ends in another file than the link's.
        #expect(LinkJobs(printedJobs: "/s/clang /b/A.o -o /b/Other", output: link) == nil)
        // Not a plan at all.
        #expect(LinkJobs(printedJobs: "warning: no", output: link) == nil)
        #expect(LinkJobs(printedJobs: "", output: link) == nil)
    }

    /// The jobs run in order, and the first that fails ends the link: the next never runs.
    @Test func theJobsRunInOrderUntilOneFails() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("log").path
        let step = { (name: String, status: Int) in
            ["/bin/sh", "-c", "echo \(name) >> \"$0\"; exit \(status)", log]
        }
        #expect(
            try LinkJobs(commands: [step("one", 0), step("two", 0)]).run(cancellation: nil) == .exited(0))
        #expect(
            try LinkJobs(commands: [step("three", 1), step("four", 0)]).run(cancellation: nil) == .exited(1))
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "one\ntwo\nthree\n")
    }
}
