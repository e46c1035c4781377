import Foundation
import Testing

/// The chapters show code that runs: every Swift block in a chapter is an excerpt of its source.
@Suite struct ChapterTextTests {
    static let chapters: [URL] = {
        let folder = repositoryRoot.appendingPathComponent("Chapters")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("README.md").path) }
    }()

    @Test func thereAreChaptersToCheck() {
        #expect(!Self.chapters.isEmpty)
    }

    @Test(arguments: chapters)
    func everySwiftBlockIsAnExcerptOfItsSource(chapter: URL) throws {
        let text = try String(contentsOf: chapter.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = text.matches(of: /(?:<!-- excerpt: ([^#\s]+)#([\w-]+) -->\n)?```swift\n((?s:.*?))```/)
        #expect(!blocks.isEmpty, "\(chapter.lastPathComponent) shows no Swift code")
        for block in blocks {
            guard let file = block.1, let name = block.2 else {
                Issue.record(
                    "a swift block in \(chapter.lastPathComponent) has no <!-- excerpt: FILE#NAME --> line")
                continue
            }
            let source = try String(contentsOf: chapter.appendingPathComponent(String(file)), encoding: .utf8)
            let region = try #require(
                excerpt(String(name), in: source),
                "\(file) has no region // excerpt: \(name) … // end excerpt"
            )
            #expect(String(block.3) == region, "the chapter's \(file)#\(name) differs from the source")
        }
    }

    /// The lines between `// excerpt: name` and `// end excerpt`, as they stand in the file.
    private func excerpt(_ name: String, in source: String) -> String? {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard
            let start = lines.firstIndex(where: {
                $0.trimmingCharacters(in: .whitespaces) == "// excerpt: \(name)"
            }),
            let end = lines[start...].firstIndex(where: {
                $0.trimmingCharacters(in: .whitespaces) == "// end excerpt"
            })
        else { return nil }
        return lines[(start + 1)..<end].map { $0 + "\n" }.joined()
    }
}
