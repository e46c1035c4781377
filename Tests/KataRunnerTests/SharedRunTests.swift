import Foundation
import Glibc
import Synchronization
import Testing

@testable import KataRunner

/// How a board's suites are run: the current exercise alone, the rest together in one process,
/// and every one of those that did not pass again alone. The test binary here is a stand-in
/// script that answers each suite as told and logs every run's suites, so the runs can be counted.
@Suite(.timeLimit(.minutes(1))) struct SharedRunTests {
    let manifest: KataManifest
    let scratch: URL

    init() throws {
        manifest = try KataManifest.load(from: Fixtures.workspace.root)
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kata-shared-\(UUID().uuidString)")
        let binary = Fixtures.workspace.testBinary(in: scratch)
        try FileManager.default.createDirectory(
            at: binary.deletingLastPathComponent().appendingPathComponent("behaviour"),
            withIntermediateDirectories: true)
        // Swift Testing's lines for each suite named by a `--filter KataTests.<suite>$`, in order;
        // a suite told to crash aborts the whole process there.
        let script = """
            #!/usr/bin/env bash
            here=$(dirname "$0")
            suites=()
            while (($#)); do
                if [[ $1 == --filter ]]; then s=${2#KataTests.}; suites+=("${s%$}"); shift; fi
                shift
            done
            echo "${suites[*]}" >>"$here/runs.log"
            for s in "${suites[@]}"; do
                case $(cat "$here/behaviour/$s") in
                pass) echo "✔ Suite $s passed after 0.001 seconds." ;;
                fail)
                    echo "✘ Test check() recorded an issue at $s.swift:1:1: Expectation failed"
                    echo "↳ $s alone says no"
                    echo "✘ Suite $s failed after 0.001 seconds with 1 issue." ;;
                crash) echo "Fatal error: Index out of range"; kill -ABRT $$ ;;
                esac
            done
            """
        try FileManager.default.linkItem(at: Self.script(script), to: binary)
    }

    /// The stand-in, written once per test process and hard-linked into each test's folder. It is
    /// written through a descriptor closed on exec: one that a child forked meanwhile by another
    /// test inherited would keep the file open for writing, and running it would fail with "Text
    /// file busy".
    private static let written = Mutex<URL?>(nil)
    private static func script(_ text: String) throws -> URL {
        try written.withLock { written in
            if let written { return written }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "kata-stand-in-\(UUID().uuidString)")
            let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
            guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
            let bytes = Array(text.utf8)
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
            guard count == bytes.count else { throw POSIXError(.EIO) }
            written = file
            return file
        }
    }

    /// The manifest's first exercises, each told how its suite answers.
    private func entries(_ behaviours: [String]) throws -> [KataProgress.Entry] {
        let folder = Fixtures.workspace.testBinary(in: scratch).deletingLastPathComponent()
        return try zip(manifest.all, behaviours).map { exercise, behaviour in
            try Data(behaviour.utf8).write(
                to: folder.appendingPathComponent("behaviour/\(exercise.exercise.suite)"))
            return (exercise.folder, exercise.exercise, .unknown)
        }
    }

    /// Each run's suites, in the order the runs started.
    private func runs() throws -> [[String]] {
        let log = Fixtures.workspace.testBinary(in: scratch).deletingLastPathComponent()
            .appendingPathComponent("runs.log")
        return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: " ").map(String.init)
        }
    }

    private func check(_ entries: [KataProgress.Entry], together: Bool = true) async throws
        -> [KataProgress.State]
    {
        var checker = Checker(workspace: Fixtures.workspace, manifest: manifest)
        checker.runsTogether = together
        let (scratch, configured) = (self.scratch, checker)
        return try await Fixtures.offThePool {
            configured.runSuites(entries, scratch: scratch, patience: 3, cancellation: nil) { _, _ in }
        }
    }

    @Test func suitesThatPassTogetherRunOnceAndAFailureIsToldFromItsOwnRun() async throws {
        let entries = try entries(["pass", "pass", "fail", "pass"])
        let suites = entries.map(\.exercise.suite)
        let states = try await check(entries)
        #expect(states == [.done, .done, .failing(["\(suites[2]) alone says no"]), .done])
        #expect(
            try runs() == [[suites[0]], Array(suites[1...]), [suites[2]]],
            "the current exercise alone, the rest together, then only the failing one again alone")
    }

    @Test func aCrashInTheSharedRunBlamesOnlyItsOwnExercise() async throws {
        let entries = try entries(["pass", "pass", "crash", "pass"])
        let suites = entries.map(\.exercise.suite)
        let states = try await check(entries)
        #expect(states[0] == .done && states[1] == .done && states[3] == .done, "\(states)")
        guard case .crashed(_, let lines) = states[2] else {
            Issue.record("the crashing exercise must be reported crashed, not \(states[2])")
            return
        }
        #expect(lines.contains("Fatal error: Index out of range"))
        let runs = try runs()
        #expect(runs.prefix(2) == [[suites[0]], Array(suites[1...])])
        #expect(
            Set(runs.dropFirst(2)) == [[suites[2]], [suites[3]]],
            "the suite that crashed and the one the crash cut off run again alone; the one that passed does not"
        )
    }

    @Test func kataVerifyAndShortListsRunEachSuiteAlone() async throws {
        let entries = try entries(["fail", "pass", "fail"])
        let suites = entries.map(\.exercise.suite)
        let states = try await check(entries, together: false)
        #expect(states[1] == .done)
        #expect(Set(try runs()) == Set(suites.map { [$0] }))
        #expect(try runs().count == 3)
    }
}
