import Foundation
import Testing

@testable import KataRunner

/// What the tests could see of the student's module, from symbol graphs written here by hand in
/// the compiler's shape (``QuickBuildTests`` has the compiler write real ones).
@Suite struct ModuleSurfaceTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("surface-\(UUID().uuidString)")

    /// A symbol as the compiler writes it, at `line` of its file.
    private func symbol(_ path: [String], _ declaration: String, line: Int = 1) -> [String: Any] {
        [
            "identifier": ["precise": "s:K" + path.joined(separator: "."), "interfaceLanguage": "swift"],
            "pathComponents": path,
            "declarationFragments": [["kind": "text", "spelling": declaration]],
            "location": ["uri": "file:///w/Answer.swift", "position": ["line": line, "character": 0]],
        ]
    }

    /// The surface of a module whose graph holds `symbols` and `relationships`, whose extensions
    /// of other modules' types are `extensions`, and whose one source is `source`.
    private func surface(
        _ symbols: [[String: Any]], relationships: [[String: Any]] = [], extensions: [[String: Any]]? = nil,
        source: String = "public func answer() -> Int { 42 }\n"
    ) throws -> ModuleSurface {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func write(_ graph: [String: Any], _ name: String) throws {
            try JSONSerialization.data(withJSONObject: graph).write(to: folder.appendingPathComponent(name))
        }
        try write(["symbols": symbols, "relationships": relationships], "Kata.symbols.json")
        if let extensions {
            try write(["symbols": extensions, "relationships": []], "Kata@Swift.symbols.json")
        }
        let file = folder.appendingPathComponent("Answer.swift")
        try source.write(to: file, atomically: true, encoding: .utf8)
        return try #require(ModuleSurface(module: "Kata", symbolGraphs: folder, sources: [file]))
    }

    private let box = [["Box"], ["Box", "value"]].map { path in
        (path, path.count == 1 ? "struct Box" : "var value: Int")
    }

    @Test func aTypeCountsWithItsMembersAndAFunctionWithItsOverloads() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try surface(
            box.map { symbol($0.0, $0.1) } + [symbol(["answer()"], "func answer() -> Int")])
        // Moved lines: nothing changed.
        let moved = try surface(
            box.map { symbol($0.0, $0.1, line: 9) } + [symbol(["answer()"], "func answer() -> Int", line: 3)])
        #expect(moved.changedNames(since: before).isEmpty)
        // A member before the one there was: the type changed, under its own name.
        let grown = try surface(
            [
                symbol(["Box"], "struct Box"), symbol(["Box", "label"], "private var label: String"),
                symbol(["Box", "value"], "var value: Int"), symbol(["answer()"], "func answer() -> Int"),
            ])
        #expect(grown.changedNames(since: before) == ["Box"])
        // An overload: the function's base name changed. A new helper: its own name.
        let overloaded = try surface(
            box.map { symbol($0.0, $0.1) } + [
                symbol(["answer()"], "func answer() -> Int"),
                symbol(["answer(plus:)"], "func answer(plus: Int) -> Int"),
                symbol(["helper()"], "private func helper()"),
            ])
        #expect(overloaded.changedNames(since: before) == ["answer", "helper"])
    }

    @Test func aConformanceBelongsToItsType() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let symbols = box.map { symbol($0.0, $0.1) }
        let before = try surface(symbols)
        let conforming = try surface(
            symbols, relationships: [["kind": "conformsTo", "source": "s:KBox", "target": "s:SQ"]])
        #expect(conforming.changedNames(since: before) == ["Box"])
    }

    @Test func importsOperatorsAndExtensionsOfOtherTypesBelongToNoName() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let symbols = box.map { symbol($0.0, $0.1) }
        let before = try surface(symbols)
        for source in [
            "@preconcurrency import Foundation\n", "public import Foundation\n",
            "infix operator <~> : AdditionPrecedence\n",
            "precedencegroup Tight { higherThan: MultiplicationPrecedence }\n",
        ] {
            #expect(
                try surface(symbols, source: source).changedNames(since: before) == [ModuleSurface.elsewhere],
                "\(source)")
        }
        // Not a declaration of either: a call, a word in a string.
        #expect(
            try surface(symbols, source: "let x = importance(\"an import\")\n").changedNames(since: before)
                .isEmpty)
        let extended = try surface(
            symbols, extensions: [symbol(["String", "shout()"], "func shout() -> String")])
        #expect(extended.changedNames(since: before) == [ModuleSurface.elsewhere])
    }

    @Test func theTestsAreAffectedOnlyByWhatTheySpell() throws {
        // The tests apart from the graphs, which each surface here writes anew.
        let testsFolder = folder.appendingPathExtension("tests")
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: testsFolder)
        }
        let before = try surface(
            box.map { symbol($0.0, $0.1) } + [symbol(["answer()"], "func answer() -> Int")])
        try FileManager.default.createDirectory(at: testsFolder, withIntermediateDirectories: true)
        let answerTest = testsFolder.appendingPathComponent("AnswerKata.swift")
        let boxTest = testsFolder.appendingPathComponent("BoxKata.swift")
        try "#expect(answer() == 42)\n".write(to: answerTest, atomically: true, encoding: .utf8)
        try "#expect(Box().value == 42 && 1 + 1 == 2)\n".write(to: boxTest, atomically: true, encoding: .utf8)
        let words = TestVocabulary(files: [boxTest])
        #expect(words.mentions("Box") && words.mentions("value") && words.mentions("=="))
        #expect(!words.mentions("Bo") && !words.mentions("answer") && !words.mentions("-"))
        let tests = [answerTest, boxTest]

        let helper = try surface(
            box.map { symbol($0.0, $0.1) } + [
                symbol(["answer()"], "func answer() -> Int"),
                symbol(["twice(_:)"], "func twice(_: Int) -> Int"),
            ])
        #expect(helper.testsAffected(tests, since: before).isEmpty)
        let changedBox = try surface([
            symbol(["Box"], "struct Box"), symbol(["Box", "value"], "var value: Int8"),
            symbol(["answer()"], "func answer() -> Int"),
        ])
        #expect(changedBox.testsAffected(tests, since: before) == [boxTest])
        let changedAnswer = try surface(
            box.map { symbol($0.0, $0.1) } + [symbol(["answer(plus:)"], "func answer(plus: Int = 0) -> Int")])
        #expect(changedAnswer.testsAffected(tests, since: before) == [answerTest])
        // What has no single name reaches every test.
        let imported = try surface(
            box.map { symbol($0.0, $0.1) } + [symbol(["answer()"], "func answer() -> Int")],
            source: "import Foundation\n")
        #expect(imported.testsAffected(tests, since: before) == tests)
        // Code that is copied into its callers reaches them whatever its name.
        let inlined = try surface(
            box.map { symbol($0.0, $0.1) } + [
                symbol(["answer()"], "func answer() -> Int"),
                symbol(["twice(_:)"], "func twice(_: Int) -> Int"),
            ],
            source: "@inlinable func twice(_ x: Int) -> Int { x * 2 }\n")
        #expect(inlined.testsAffected(tests, since: before) == tests)
    }

    /// A compile of the tests cut short leaves each name that changed unknown: whatever it is
    /// next, the tests that spell it are compiled again, even if it went back to what it was.
    @Test func aNameForgottenCountsAsChangedAgainstAnySurface() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try surface(
            box.map { symbol($0.0, $0.1) } + [symbol(["answer()"], "func answer() -> Int")])
        let forgotten = before.forgetting(["answer"])
        #expect(before.changedNames(since: forgotten) == ["answer"])
        #expect(forgotten.forgetting([]) == forgotten)
        #expect(before.changedNames(since: before.forgetting(["Box"])) == ["Box"])
    }
}
