import Foundation
import Synchronization
import TestSupport
import Testing

/// Every `swift run …` a text tells a student to type names a program of this package, a
/// subcommand that program has, and options that subcommand takes; `kata run NAME` names an
/// exercise. A renamed subcommand or option cannot leave a README behind.
///
/// One command at a time, each program's help read once: run side by side, the commands started
/// a hundred programs at once, and in a plain `swift test` on two cores that load made other
/// tests' waits run out.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ReadmeCommandTests {
    /// One `swift run` command as written in a text.
    struct Command: CustomTestStringConvertible, Sendable {
        let text: String
        let file: String
        var words: [String] { text.split(separator: " ").map(String.init) }
        var testDescription: String { "\(file): \(text)" }
    }

    /// Every text a student or teacher reads: the root README, the pages it links to for the
    /// long stories (tests, bench, fuzzers), the exercises' guide, and each chapter.
    static let texts =
        [
            "README.md", "Tests/README.md", "Sources/bench/README.md", "Sources/fuzz/README.md",
            "Exercises/README.md",
        ] + chapterTexts()

    static func chapterTexts() -> [String] {
        let folder = repositoryRoot.appendingPathComponent("Chapters")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { "Chapters/\($0)/README.md" }
            .filter { FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent($0).path) }
    }

    /// The commands in the texts' shell blocks and inline code, up to a comment or the code's end.
    static let commands: [Command] = texts.flatMap { file -> [Command] in
        let text =
            (try? String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)) ?? ""
        return text.matches(of: /swift run ((?:-c release )?[a-z][\w-]*(?: [^`#|\n)]*)?)/).map {
            Command(text: String($0.1).trimmingCharacters(in: .whitespaces), file: file)
        }
    }

    @Test func theTextsTellStudentsToRunCommands() {
        #expect(Self.commands.count > 40, "found only \(Self.commands.count) swift run commands")
    }

    @Test(arguments: commands)
    func everyCommandIsOneTheProgramTakes(command: Command) async throws {
        var words = command.words.filter { $0 != "-c" && $0 != "release" }
        let program = words.removeFirst()
        let products = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        try #require(
            products.contains(".executable(name: \"\(program)\""),
            "\(command.file) runs \(program), which is no executable product of Package.swift")
        let root = try await help(program, [])
        var helpText = root
        // A first word that is a subcommand in the program's help selects that subcommand; any
        // other words go to the default subcommand.
        let (names, defaultName) = subcommands(in: root)
        if let first = words.first, names.contains(first) {
            words.removeFirst()
            helpText = try await help(program, [first])
            if program == "kata", ["run", "hint", "reset", "solution"].contains(first),
                let name = words.first,
                !name.hasPrefix("<"), !name.hasPrefix("[")
            {
                let manifest = try String(
                    contentsOf: repositoryRoot.appendingPathComponent("Exercises/kata.json"), encoding: .utf8)
                #expect(
                    manifest.contains("\"name\": \"\(name)\""),
                    "\(command.file) names the exercise \(name), which kata.json does not have")
            }
        } else if let defaultName {
            helpText = try await help(program, [defaultName])
        }
        for option in words where option.hasPrefix("--") {
            let name = String(option.split(separator: "=")[0])
            #expect(
                helpText.contains(name),
                "\(command.file): `swift run \(command.text)` passes \(name), which its help does not list")
        }
    }

    /// The program's `--help` (for `subcommand`, if any).
    private func help(_ program: String, _ subcommand: [String]) async throws -> String {
        let key = ([program] + subcommand).joined(separator: " ")
        if let known = Self.helps.withLock({ $0[key] }) { return known }
        let run = try RunningProgram.built(program, subcommand + ["--help"])
        let status = try await run.waitForExit(seconds: 30)
        #expect(
            status == 0, "\(program) \(subcommand.joined()) --help exited \(status): \(run.standardError)")
        if status == 0 { Self.helps.withLock { $0[key] = run.standardOutput } }
        return run.standardOutput
    }

    /// The help texts read so far, by program and subcommand.
    private static let helps = Mutex<[String: String]>([:])

    /// The names under SUBCOMMANDS in an ArgumentParser help text, and the one marked (default).
    private func subcommands(in help: String) -> (names: Set<String>, defaultName: String?) {
        guard let range = help.range(of: "SUBCOMMANDS:") else { return ([], nil) }
        let lines = help[range.upperBound...].split(separator: "\n").filter {
            $0.hasPrefix("  ") && !$0.hasPrefix("   ")
        }
        let names = lines.compactMap { $0.split(separator: " ").first.map(String.init) }
        let marked = lines.first { $0.contains("(default)") }?.split(separator: " ").first.map(String.init)
        return (Set(names), marked)
    }
}
