import Foundation
import KataRunner
import Testing

/// The runner's logic, on real outputs captured from `swift build` and `swift test` (Fixtures/):
/// a solved workspace, an untouched one, and one whose student file does not compile.
@Suite struct KataRunnerTests {
    let workspace = Fixtures.workspace
    let manifest: KataManifest

    init() throws {
        manifest = try KataManifest.load(from: workspace.root)
    }

    private func fixture(_ name: String) throws -> String { try Fixtures.text(name) }

    private func scratchWorkspace() throws -> Workspace { try Fixtures.scratchWorkspace(manifest) }

    @Test func aSolvedWorkspaceIsAllDone() throws {
        let progress = KataProgress(manifest: manifest, output: try fixture("solved"))
        #expect(progress.doneCount == manifest.all.count)
        #expect(progress.next == nil)
        let board = Board.render(progress, manifest: manifest)
        #expect(board.contains("Kata: \(manifest.all.count) of \(manifest.all.count) done"))
        #expect(!board.contains("▶"))
        #expect(Board.nextSteps(progress, workspace: workspace).contains("Every exercise passes"))
    }

    @Test func anUntouchedWorkspaceShowsTheFirstExerciseAndWhatItsTestsSaid() throws {
        let progress = KataProgress(manifest: manifest, output: try fixture("unsolved"))
        #expect(progress.doneCount == 0)
        let next = try #require(progress.next)
        #expect(next.exercise.name == "greet-and-reply")
        #expect(
            next.state
                == .failing([
                    "a client connected and waited 10 s, but no greeting arrived: write it as soon as the connection comes"
                ])
        )
        let board = Board.render(progress, manifest: manifest)
        #expect(board.contains("▶ greet-and-reply"))
        #expect(board.contains("· line-splitter"))
        let steps = Board.nextSteps(progress, workspace: workspace)
        #expect(steps.contains("Edit Exercises/01-tcp/GreetAndReply.swift"))
        #expect(steps.contains("swift run kata hint greet-and-reply"))
    }

    @Test func failuresSpeakInTheStudentsTermsWithoutRepeats() throws {
        let report = TestReport(swiftTestOutput: try fixture("unsolved"))
        let lines = try #require(report.suites["LineSplitterKata"])
        #expect(!lines.passed)
        #expect(lines.messages.contains("\"hello\\nworld\\n\" in one chunk is two lines; you returned []"))
        #expect(Set(lines.messages).count == lines.messages.count)
        #expect(!lines.messages.contains { $0.hasPrefix("Expectation failed") }, "the test's own words win")
    }

    @Test func aFileThatDoesNotCompileIsShownWithTheCompilersErrors() throws {
        let output = try fixture("does-not-compile")
        var progress = KataProgress(manifest: manifest, output: "")
        progress.markCompilerErrors(output, workspace: workspace)
        let next = try #require(progress.next)
        #expect(next.exercise.name == "line-splitter", "the broken file's exercise comes first")
        guard case .doesNotCompile(let errors) = next.state else {
            Issue.record("expected doesNotCompile, got \(next.state)")
            return
        }
        #expect(
            errors.first?.contains("LineSplitter.swift:14:26: error: cannot convert value of type 'Buffer'")
                == true)
        #expect(Board.nextSteps(progress, workspace: workspace).contains("It does not compile yet:"))
    }

    @Test func theManifestAndTheFilesAgree() {
        #expect(Verifier(workspace: workspace, manifest: manifest).fileProblems() == [])
    }

    @Test func verifyNoticesAStudentFileThatIsNotItsStub() throws {
        let scratch = try scratchWorkspace()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let verifier = Verifier(workspace: scratch, manifest: manifest)
        #expect(verifier.unpristineStudentFiles() == [])
        let file = scratch.root.appendingPathComponent("Exercises/01-tcp/Pump.swift")
        try (try Data(contentsOf: file) + Data("// my work\n".utf8)).write(to: file)
        #expect(verifier.unpristineStudentFiles() == ["Exercises/01-tcp/Pump.swift differs from its stub"])
    }

    @Test func verifyRefusesAnExerciseWhoseTestsPassOnItsStub() throws {
        let verifier = Verifier(workspace: workspace, manifest: manifest)
        let solved = KataProgress(manifest: manifest, output: try fixture("solved"))
        let problems = verifier.testProblems(solutions: solved, stubs: solved)
        #expect(problems.count == manifest.all.count)
        #expect(
            problems.first == "greet-and-reply: its tests pass on the untouched stub, so they test nothing")
        let unsolved = KataProgress(manifest: manifest, output: try fixture("unsolved"))
        #expect(verifier.testProblems(solutions: solved, stubs: unsolved) == [])
    }

    @Test func verifyFindsAStrayExerciseFile() throws {
        let scratch = try scratchWorkspace()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let verifier = Verifier(workspace: scratch, manifest: manifest)
        #expect(verifier.fileProblems() == [])
        let stray = scratch.root.appendingPathComponent("Exercises/Solutions/01-tcp/Stray.swift")
        try "// not in kata.json".write(to: stray, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(
            at: scratch.root.appendingPathComponent("Tests/KataTests/01-tcp/PumpKata.swift"))
        #expect(
            verifier.fileProblems() == [
                "pump: its test Tests/KataTests/01-tcp/PumpKata.swift is missing",
                "Exercises/Solutions/01-tcp/Stray.swift is in no exercise of kata.json",
            ]
        )
    }

    @Test func resetRestoresTheStubAndKeepsTheStudentsVersion() throws {
        let scratch = try scratchWorkspace()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let (folder, exercise) = try #require(manifest.find("pump"))
        let file = scratch.root.appendingPathComponent(scratch.path(of: exercise, in: folder, copy: .student))
        let stub = try Data(contentsOf: file)
        let when = Date(timeIntervalSince1970: 1_800_000_000)
        for attempt in ["first try", "second try"] {
            try Data("// \(attempt)\n".utf8).write(to: file)
            let kept = try #require(try scratch.reset(exercise, in: folder, at: when))
            #expect(try Data(contentsOf: file) == stub, "the file is the stub again")
            let saved = try String(contentsOf: scratch.root.appendingPathComponent(kept), encoding: .utf8)
            #expect(saved == "// \(attempt)\n", "the student's \(attempt) is kept, not overwritten")
        }
    }
}
