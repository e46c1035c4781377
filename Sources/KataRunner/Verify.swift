import Foundation

/// `kata verify`: the manifest, the files and the tests agree, and every exercise is real: its
/// tests pass on the reference solution and fail on the untouched stub.
public struct Verifier {
    let workspace: Workspace
    let manifest: KataManifest

    /// A verifier for `workspace`'s exercises.
    public init(workspace: Workspace, manifest: KataManifest) {
        self.workspace = workspace
        self.manifest = manifest
    }

    /// Problems with the files: missing stub, solution, student copy, test or hint; stray files.
    public func fileProblems() -> [String] {
        var problems: [String] = []
        let files = FileManager.default
        func exists(_ path: String) -> Bool {
            files.fileExists(atPath: workspace.root.appendingPathComponent(path).path)
        }
        func swiftFiles(in folder: String) -> Set<String> {
            let url = workspace.root.appendingPathComponent(folder)
            let names = (try? files.contentsOfDirectory(atPath: url.path)) ?? []
            return Set(names.filter { $0.hasSuffix(".swift") })
        }
        let names = manifest.all.map(\.exercise.name)
        for duplicate in Set(names.filter { name in names.filter { $0 == name }.count > 1 }) {
            problems.append("the name \(duplicate) is used twice in kata.json")
        }
        for chapter in manifest.chapters {
            let expected = Set(chapter.exercises.map(\.file))
            let tests = Set(chapter.exercises.map { $0.suite + ".swift" })
            for exercise in chapter.exercises {
                for copy in [Workspace.Copy.student, .stubs, .solutions] {
                    let path = workspace.path(of: exercise, in: chapter.folder, copy: copy)
                    if !exists(path) { problems.append("\(exercise.name): \(path) is missing") }
                }
                let test = "Tests/KataTests/\(chapter.folder)/\(exercise.suite).swift"
                if !exists(test) { problems.append("\(exercise.name): its test \(test) is missing") }
                for used in exercise.uses ?? [] where manifest.find(used) == nil {
                    problems.append("\(exercise.name): it uses \(used), which is no exercise of kata.json")
                }
                if exercise.hint.trimmingCharacters(in: .whitespaces).isEmpty {
                    problems.append("\(exercise.name): it has no hint")
                }
            }
            for folder in [
                "Exercises/\(chapter.folder)", "Exercises/Stubs/\(chapter.folder)",
                "Exercises/Solutions/\(chapter.folder)",
            ] {
                for stray in swiftFiles(in: folder).subtracting(expected).sorted() {
                    problems.append("\(folder)/\(stray) is in no exercise of kata.json")
                }
            }
            for stray in swiftFiles(in: "Tests/KataTests/\(chapter.folder)").subtracting(tests).sorted() {
                problems.append("Tests/KataTests/\(chapter.folder)/\(stray) tests no exercise of kata.json")
            }
        }
        return problems
    }

    /// Student files that differ from their stubs: what the repository ships must be the starting
    /// point (a student's own work shows up here too, so this is for maintainers and CI).
    public func unpristineStudentFiles() -> [String] {
        manifest.all.compactMap { folder, exercise in
            let student = workspace.root.appendingPathComponent(
                workspace.path(of: exercise, in: folder, copy: .student))
            let stub = workspace.root.appendingPathComponent(
                workspace.path(of: exercise, in: folder, copy: .stubs))
            guard let mine = try? Data(contentsOf: student), let start = try? Data(contentsOf: stub),
                mine != start
            else { return nil }
            return "\(workspace.path(of: exercise, in: folder, copy: .student)) differs from its stub"
        }
    }

    /// Problems with the tests: a suite that does not pass on its solution, or passes on its stub.
    public func testProblems(solutions: KataProgress, stubs: KataProgress) -> [String] {
        var problems: [String] = []
        if let output = solutions.compilerOutput {
            problems.append("the reference solutions do not compile:\n" + errorLines(output))
        } else {
            for (_, exercise, state) in solutions.entries where state != .done {
                problems.append("\(exercise.name): its tests do not pass on the reference solution: \(state)")
            }
        }
        if let output = stubs.compilerOutput {
            problems.append("the stubs do not compile:\n" + errorLines(output))
        } else {
            for (_, exercise, state) in stubs.entries {
                switch state {
                case .done:
                    problems.append(
                        "\(exercise.name): its tests pass on the untouched stub, so they test nothing")
                case .unknown, .notStarted:
                    problems.append("\(exercise.name): its tests did not run on the stub")
                default: break
                }
            }
        }
        return problems
    }

    /// Where `kata verify` lays out a mutant round, relative to the root: inside its scratch
    /// folder, which git ignores.
    public static let roundFolder = ".build-kata-verify/round"

    /// Problems with a mutant round: a mutant that does not compile, or that its exercise's tests
    /// let pass (a wrong solution the tests cannot tell from a right one).
    public func mutantProblems(_ round: MutantRound, result: KataProgress) -> [String] {
        if let output = result.compilerOutput {
            return ["round \(round.number) of the mutants does not compile:\n" + errorLines(output)]
        }
        return round.mutants.compactMap { mutant in
            switch result.state(of: mutant.exercise) {
            case .done?:
                "\(mutant.path) survives: its tests pass on it (\(mutant.description))"
            case .unknown?, .notStarted?, nil: "\(mutant.path): its tests did not run"
            default: nil
            }
        }
    }

    /// Builds the kata tests against `copy` (or the exercise files laid out in `round`) in
    /// `kata verify`'s scratch folder and runs every suite (only `suites` if given), each in its
    /// own process, with the tests' own waits: CI's patience, not the student loop's.
    public func run(
        _ copy: Workspace.Copy, round: String? = nil, suites: Set<String>? = nil
    ) throws -> KataProgress {
        let scratch = workspace.scratch(for: copy)
        var progress = KataProgress(entries: manifest.all.map { ($0.folder, $0.exercise, .unknown) })
        switch try workspace.build(copy, round: round, scratch: scratch) {
        case .failed(let output):
            progress.compilerOutput = output
            return progress
        case .cancelled: return progress
        case .built: break
        }
        var checker = Checker(workspace: workspace, manifest: manifest)
        checker.limits = ChildProcess.Limits(seconds: 180, cpuSeconds: 60, memory: 4 << 30)
        checker.runsTogether = false
        let indices = progress.entries.indices.filter {
            suites?.contains(progress.entries[$0].exercise.suite) != false
        }
        let states = checker.runSuites(
            indices.map { progress.entries[$0] }, scratch: scratch, patience: nil, cancellation: nil
        ) { _, _ in }
        for (index, state) in zip(indices, states) { progress.entries[index].state = state }
        return progress
    }

    private func errorLines(_ output: String) -> String {
        let errors = compilerErrors(in: output).map(\.line)
        return (errors.isEmpty ? lines(of: output).suffix(20) : errors[...]).joined(separator: "\n")
    }
}
