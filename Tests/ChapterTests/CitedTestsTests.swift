import Foundation
import Testing

/// The READMEs prove their claims by naming tests (`Suite/test`, then more tests of the same
/// suite in the same table cell, or `Suite` (all N)): every test named must exist, in the suite
/// named, so that a renamed or moved test cannot leave a claim without its proof.
@Suite struct CitedTestsTests {
    /// Every README that may cite tests: the same texts whose commands are checked.
    static let documents: [URL] = ReadmeCommandTests.texts.map { repositoryRoot.appendingPathComponent($0) }

    /// The text of the test files that declare or extend each suite, by the suite's name.
    static let suites: [String: String] = {
        var suites: [String: String] = [:]
        let tests = repositoryRoot.appendingPathComponent("Tests")
        let files = FileManager.default.enumerator(atPath: tests.path)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasSuffix(".swift") {
            guard let text = try? String(contentsOf: tests.appendingPathComponent(file), encoding: .utf8)
            else { continue }
            for declaration in text.matches(of: /(?:struct|class|enum|extension) ([A-Z]\w*Tests)\b/) {
                suites[String(declaration.1), default: ""] += text
            }
        }
        return suites
    }()

    /// The tests `text` cites: each `Suite/test`, and in a table, the bare `test` names after
    /// one in the same cell, of the same suite.
    static func citations(in text: String) -> [(suite: String, test: String)] {
        var found: [(String, String)] = []
        for line in text.split(separator: "\n") {
            let inTable = line.hasPrefix("|")
            for cell in line.split(separator: "|") {
                var suite: String?
                for token in cell.matches(of: /`(?:([A-Z]\w*Tests)\/)?([a-z]\w*)`/) {
                    if let named = token.1 {
                        suite = String(named)
                        found.append((String(named), String(token.2)))
                    } else if inTable, let suite {
                        found.append((suite, String(token.2)))
                    }
                }
            }
        }
        return found
    }

    @Test func theSuitesAreFound() {
        #expect(Self.suites["NetLifecycleTests"]?.contains("func whenCloseCallsBackThePortIsFree(") == true)
        #expect(Self.documents.count > 1)
        // The root README cites dozens (its table of limits).
        let root = try? String(contentsOf: Self.documents[0], encoding: .utf8)
        #expect(Self.citations(in: root ?? "").count > 20)
    }

    @Test func aCellsBareNamesBelongToTheSuiteBeforeThem() {
        let row = "| x | `maxPayload` | `ATests/one`, `two`; a client's: `BTests/three` | `CTests/four` |"
        let cited = Self.citations(in: row).map { "\($0.suite)/\($0.test)" }
        #expect(cited == ["ATests/one", "ATests/two", "BTests/three", "CTests/four"])
        // Outside a table only `Suite/test` counts; paths and modules are not tests.
        let prose = "`ATests/one` runs `keys` from `Sources/NodeNet` (`ChapterTests/FuzzTests`)."
        #expect(Self.citations(in: prose).map { "\($0.suite)/\($0.test)" } == ["ATests/one"])
    }

    @Test(arguments: documents)
    func everyCitedTestExists(document: URL) throws {
        let text = try String(contentsOf: document, encoding: .utf8)
        let name = document.path.dropFirst(repositoryRoot.path.count + 1)
        for (suite, test) in Self.citations(in: text) {
            guard let source = Self.suites[suite] else {
                Issue.record("\(name) cites \(suite)/\(test): there is no suite \(suite)")
                continue
            }
            #expect(
                source.contains("func \(test)("),
                "\(name) cites \(suite)/\(test): \(suite) has no test \(test)")
        }
    }

    @Test(arguments: documents)
    func everySuiteCitedWholeHasThatManyTests(document: URL) throws {
        let text = try String(contentsOf: document, encoding: .utf8)
        for claim in text.matches(of: /`([A-Z]\w*Tests)` \(all (\w+)\)/) {
            let suite = String(claim.1)
            let source = try #require(Self.suites[suite], "no suite \(suite)")
            let count = source.matches(of: /@Test\b/).count
            let words = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
            let claimed = words.firstIndex(of: String(claim.2)).map { $0 + 2 } ?? Int(claim.2) ?? -1
            #expect(count == claimed, "\(suite) (all \(claim.2)): it has \(count) tests")
        }
    }
}
