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

    /// Problems with the tests: a suite that fails on its solution or passes on its stub.
    public func testProblems(solutions: KataRun, stubs: KataRun) -> [String] {
        var problems: [String] = []
        switch solutions {
        case .didNotCompile(let output):
            problems.append(
                "the reference solutions do not compile:\n"
                    + compilerErrors(in: output).map(\.line).joined(separator: "\n"))
        case .ran(let output):
            let report = TestReport(swiftTestOutput: output)
            for (_, exercise) in manifest.all where report.suites[exercise.suite]?.passed != true {
                problems.append("\(exercise.name): its tests do not pass on the reference solution")
            }
        }
        switch stubs {
        case .didNotCompile(let output):
            problems.append(
                "the stubs do not compile:\n" + compilerErrors(in: output).map(\.line).joined(separator: "\n")
            )
        case .ran(let output):
            let report = TestReport(swiftTestOutput: output)
            for (_, exercise) in manifest.all {
                switch report.suites[exercise.suite]?.passed {
                case true?:
                    problems.append(
                        "\(exercise.name): its tests pass on the untouched stub, so they test nothing")
                case nil: problems.append("\(exercise.name): its tests did not run on the stub (a crash?)")
                case false?: break
                }
            }
        }
        return problems
    }
}
