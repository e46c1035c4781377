import Foundation
import Testing

/// The API reference (Sources/NodeNet/NodeNet.docc): DocC checks its symbol links when it builds
/// (`.ci/run`), but not the files its tables name, which these tests check.
@Suite(.timeLimit(.minutes(1))) struct APIReferenceTests {
    static let catalog = repositoryRoot.appendingPathComponent("Sources/NodeNet/NodeNet.docc")

    static let articles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: catalog.path)) ?? []
        return names.filter { $0.hasSuffix(".md") && $0 != "NodeNet.md" }.sorted()
    }()

    @Test func thereIsAnArticlePerNodeModule() {
        let modules = [
            "net", "dgram", "http", "https", "tls", "crypto", "events", "timers", "process", "Buffer",
            "WebSocket",
        ]
        #expect(Self.articles == (modules.map { "Module-\($0).md" } + ["Differences.md"]).sorted())
    }

    @Test func theLandingPageListsEveryArticle() throws {
        let landing = try String(
            contentsOf: Self.catalog.appendingPathComponent("NodeNet.md"), encoding: .utf8)
        for article in Self.articles {
            #expect(landing.contains("<doc:\(article.dropLast(3))>"), "NodeNet.md does not list \(article)")
        }
    }

    /// Every `Folder/File.swift` a table names is a file of Sources/NodeNet.
    @Test(arguments: articles) func everyFileNamedExists(article: String) throws {
        let text = try String(contentsOf: Self.catalog.appendingPathComponent(article), encoding: .utf8)
        let files = text.matches(of: /`([A-Z][A-Za-z]*\/[A-Za-z0-9+]+\.swift)`/).map { String($0.1) }
        if article.hasPrefix("Module-") { #expect(!files.isEmpty, "\(article) names no file") }
        let sources = repositoryRoot.appendingPathComponent("Sources/NodeNet")
        for file in files {
            #expect(
                FileManager.default.fileExists(atPath: sources.appendingPathComponent(file).path),
                "\(article) names \(file), which is not in Sources/NodeNet")
        }
    }
}
