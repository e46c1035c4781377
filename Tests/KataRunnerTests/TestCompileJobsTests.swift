import Foundation
import Testing

@testable import KataRunner

/// The compiler's jobs for the kata test files, read from the driver's printout and run.
@Suite(.timeLimit(.minutes(1))) struct TestCompileJobsTests {
    @Test func wordsAreSplitAsAShellSplitsThem() {
        #expect(DriverJobs.shellWords("a  b\tc") == ["a", "b", "c"])
        #expect(
            DriverJobs.shellWords("'/home/li lei/x.swift' -o y") == ["/home/li lei/x.swift", "-o", "y"])
        #expect(DriverJobs.shellWords(#"'it'\''s' "a \"b\"" c\ d"#) == ["it's", #"a "b""#, "c d"])
        #expect(DriverJobs.shellWords("'' x") == ["", "x"])
        #expect(DriverJobs.shellWords("'open") == nil)
        #expect(DriverJobs.shellWords(#"trailing\"#) == nil)
    }

    @Test func eachJobIsKeptUnderItsPrimaryFile() throws {
        let jobs = try #require(
            TestCompileJobs(
                printedJobs: """
                    warning: something the driver says
                    /f -frontend -c -primary-file /t/A.swift /t/B.swift -o /o/A.o
                    /f -frontend -c /t/A.swift -primary-file /t/B.swift -o /o/B.o
                    /f -modulewrap /m/KataTests.swiftmodule -o /m/KataTests.o
                    """, driverRecord: "/r"))
        #expect(jobs.bySource.keys.sorted() == ["/t/A.swift", "/t/B.swift"])
        #expect(jobs.bySource["/t/B.swift"]?.last == "/o/B.o")
    }

    @Test func aPlanOtherThanOneFileAJobIsNotUsed() {
        // A batch: two primary files in one job.
        #expect(
            TestCompileJobs(
                printedJobs: "/f -frontend -c -primary-file /a -primary-file /b -o /o", driverRecord: "/r")
                == nil)
        // A response file, which the driver deletes once it has printed.
        #expect(
            TestCompileJobs(
                printedJobs: "/f -frontend -c -primary-file /a @/tmp/args.resp", driverRecord: "/r") == nil)
        #expect(TestCompileJobs(printedJobs: "/f -modulewrap /m -o /o", driverRecord: "/r") == nil)
    }

    @Test func theDriverIsAskedForEveryFileWithoutTheModuleOrItsRecord() {
        let command = [
            "/s/swiftc", "-module-name", "KataTests", "-emit-dependencies", "-emit-module",
            "-emit-module-path",
            "/b/KataTests.swiftmodule", "-incremental", "-c", "@/b/sources", "-enable-batch-mode", "-j2",
        ]
        #expect(
            TestCompileJobs.planning(command) == [
                "/s/swiftc", "-module-name", "KataTests", "-emit-dependencies", "-c", "@/b/sources", "-j2",
                "-driver-print-jobs",
            ])
    }

    /// A job that fails gives its output, and takes away the object it would have replaced; the
    /// one that compiled keeps its own. The driver's record is gone, so that it trusts no object.
    @Test func aFailedJobLeavesItsErrorsAndNoStaleObject() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "jobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (good, bad) = (folder.appendingPathComponent("good.o"), folder.appendingPathComponent("bad.o"))
        for object in [good, bad] { try Data("old".utf8).write(to: object) }
        let record = folder.appendingPathComponent("primary.priors")
        try Data("record".utf8).write(to: record)
        let jobs = TestCompileJobs(
            bySource: [
                "/t/Good.swift": ["/bin/sh", "-c", "echo new > \"$0\"", good.path, "-o", good.path],
                "/t/Bad.swift": [
                    "/bin/sh", "-c", "echo 'Bad.swift:1:1: error: no' >&2; exit 1", "-o", bad.path,
                ],
            ],
            driverRecord: record.path)
        let outcome = jobs.compile(
            [URL(fileURLWithPath: "/t/Good.swift"), URL(fileURLWithPath: "/t/Bad.swift")], cancellation: nil)
        #expect(outcome == .failed(output: "Bad.swift:1:1: error: no\n"))
        #expect(try String(contentsOf: good, encoding: .utf8) == "new\n")
        #expect(!FileManager.default.fileExists(atPath: bad.path))
        #expect(!FileManager.default.fileExists(atPath: record.path))
        #expect(jobs.compile([URL(fileURLWithPath: "/t/Good.swift")], cancellation: nil) == nil)
        // A test file the plan does not know (added since): only SwiftPM can build it.
        #expect(jobs.compile([URL(fileURLWithPath: "/t/New.swift")], cancellation: nil) == .needsFullBuild)
    }
}

extension TestCompileJobsTests {
    @Test func theDriversRecordIsFoundThroughItsOutputFileMap() throws {
        let map = FileManager.default.temporaryDirectory.appendingPathComponent(
            "map-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: map) }
        try Data(#"{"": {"swift-dependencies": "/b/KataTests.build/primary.swiftdeps"}}"#.utf8).write(to: map)
        #expect(
            TestCompileJobs.driverRecord(of: ["swiftc", "-output-file-map", map.path])
                == "/b/KataTests.build/primary.priors")
        #expect(TestCompileJobs.driverRecord(of: ["swiftc", "-output-file-map", "/no/such/map.json"]) == nil)
    }
}
