import Foundation

/// What the kata tests could see of the student's module, one digest per top-level name: a type
/// with all its members (stored properties included, whatever their access, since they make its
/// layout), a function with all its overloads. Read from the symbol graph the compiler writes
/// beside the module (`-emit-symbol-graph`, every access level), without the symbols' places in
/// their files, so moving code changes nothing.
///
/// A save that adds a helper rewrites the module's interface, and the Swift driver then
/// recompiles every test that imports it (it tracks a module's top-level names as one unit): ten
/// seconds and more for 36 test files, on every such save. A test that never names the helper
/// compiles to the very same object, though. So ``QuickBuild`` compares the surface the tests were
/// last compiled against with the new one, and recompiles only the tests that spell a name that
/// changed (``testsAffected(_:since:)``, ``TestCompileJobs``); all of them when something changed
/// that has no single name: an extension of another module's type, an `import`, an operator.
struct ModuleSurface: Codable, Sendable, Equatable {
    /// The key of what belongs to no top-level name of the module.
    static let elsewhere = ""

    /// A digest per top-level name (``elsewhere`` for the rest).
    var digests: [String: String]
    /// Whether a source uses an attribute that puts the module's code into its clients' objects
    /// (`@inlinable`, `@_transparent`, `@_alwaysEmitIntoClient`): then a body change reaches the
    /// tests too, and every change of the module recompiles them.
    var inlinesIntoClients: Bool

    /// The surface of `module` from the symbol graphs in `folder` and the module's `sources`; nil
    /// if the compiler wrote no graph there.
    init?(module: String, symbolGraphs folder: URL, sources: [URL]) {
        guard
            let main = Self.graph(at: folder.appendingPathComponent("\(module).symbols.json"))
        else { return nil }
        var hashes: [String: ContentHash] = [:]
        var nameOf: [String: String] = [:]
        for symbol in main["symbols"] as? [[String: Any]] ?? [] {
            let path = symbol["pathComponents"] as? [String] ?? []
            let name = path.first.map(Self.baseName) ?? Self.elsewhere
            if let id = (symbol["identifier"] as? [String: Any])?["precise"] as? String { nameOf[id] = name }
            hashes[name, default: ContentHash()].add(Self.canonical(symbol))
        }
        for relationship in main["relationships"] as? [[String: Any]] ?? [] {
            let name =
                (relationship["source"] as? String).flatMap { nameOf[$0] }
                ?? (relationship["target"] as? String).flatMap { nameOf[$0] } ?? Self.elsewhere
            hashes[name, default: ContentHash()].add(Self.canonical(relationship))
        }
        // Extensions of other modules' types, in `Module@Other.symbols.json`.
        var elsewhere = ContentHash()
        let others = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for file in others.sorted() where file.hasPrefix("\(module)@") && file.hasSuffix(".symbols.json") {
            elsewhere.add(Array(file.utf8))
            let graph = Self.graph(at: folder.appendingPathComponent(file)) ?? [:]
            for symbol in graph["symbols"] as? [[String: Any]] ?? [] { elsewhere.add(Self.canonical(symbol)) }
            for relationship in graph["relationships"] as? [[String: Any]] ?? [] {
                elsewhere.add(Self.canonical(relationship))
            }
        }
        // What the graph does not hold: imports and operator declarations change how the tests read.
        var inlines = false
        for source in sources {
            let text = (try? String(contentsOf: source, encoding: .utf8)) ?? "<missing>"
            inlines = inlines || Self.inliningAttributes.contains { text.contains($0) }
            for line in text.split(whereSeparator: \.isNewline) where Self.isModuleWide(line) {
                elsewhere.add(Array(line.utf8))
            }
        }
        hashes[Self.elsewhere, default: ContentHash()].add(Array(elsewhere.hex.utf8))
        digests = hashes.mapValues(\.hex)
        inlinesIntoClients = inlines
    }

    /// The names whose digest differs from `earlier`'s: changed, added or removed.
    func changedNames(since earlier: ModuleSurface) -> Set<String> {
        Set(digests.keys).union(earlier.digests.keys).filter { digests[$0] != earlier.digests[$0] }
    }

    /// The test files among `tests` that may compile differently against this surface than against
    /// `earlier`: each that spells a name that changed; all of them when what changed has no single
    /// name, or when the module copies code into its clients (then even a body change reaches them).
    func testsAffected(_ tests: [URL], since earlier: ModuleSurface) -> [URL] {
        if inlinesIntoClients || earlier.inlinesIntoClients { return tests }
        let changed = changedNames(since: earlier)
        if changed.contains(Self.elsewhere) { return tests }
        if changed.isEmpty { return [] }
        return tests.filter { test in
            let words = TestVocabulary(files: [test])
            return changed.contains { words.mentions($0) }
        }
    }

    /// This surface with `names` marked unknown, so that they count as changed against any
    /// later surface: what a compile of the tests that did not finish leaves (some of those that
    /// spell them may have been compiled against their new form, some not).
    func forgetting(_ names: Set<String>) -> ModuleSurface {
        var surface = self
        for name in names { surface.digests[name] = Self.unknown }
        return surface
    }

    /// Whether ``forgetting(_:)`` left names unknown here: tests that spell them still owe a compile.
    var hasForgottenNames: Bool { digests.values.contains(Self.unknown) }

    /// A digest no symbol has.
    private static let unknown = "unknown"

    /// A symbol's name without its argument labels: `pump(_:to:)` is `pump`.
    private static func baseName(_ component: String) -> String {
        component.firstIndex(of: "(").map { String(component[..<$0]) } ?? component
    }

    private static let inliningAttributes = ["@inlinable", "@_transparent", "@_alwaysEmitIntoClient"]

    /// An `import` (with its attributes and access), or an operator or precedence group declaration.
    private static func isModuleWide(_ line: Substring) -> Bool {
        let words = line.split(whereSeparator: \.isWhitespace)
        guard let keyword = words.first(where: { !$0.hasPrefix("@") }) else { return false }
        let access: Set<Substring> = ["public", "package", "internal", "fileprivate", "private"]
        let first = access.contains(keyword) ? words.drop { $0 != keyword }.dropFirst().first : keyword
        return first == "import" || first == "precedencegroup"
            || (["infix", "prefix", "postfix"].contains(first) && words.contains("operator"))
    }

    private static func graph(at file: URL) -> [String: Any]? {
        (try? Data(contentsOf: file)).flatMap { try? JSONSerialization.jsonObject(with: $0) }
            as? [String: Any]
    }

    /// A symbol or relationship as sorted JSON, without where it is written (its place in a file,
    /// its doc comment's lines), so that only what it declares counts.
    private static func canonical(_ entry: [String: Any]) -> [UInt8] {
        var entry = entry
        entry["location"] = nil
        entry["docComment"] = nil
        return Array((try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys])) ?? Data())
    }
}

/// Every word the kata tests spell, to know whether a name of the student's module may matter to
/// them: an identifier token anywhere in a test (a comment's words too: it only ever errs on the
/// side of recompiling), or for an operator, its characters anywhere.
struct TestVocabulary: Sendable {
    private var words: Set<Substring> = []
    private var text = ""

    /// The words of the test sources `files`.
    init(files: [URL]) {
        for file in files {
            let source = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            text += source + "\n"
        }
        words = Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") })
    }

    /// Whether the tests spell `name`.
    func mentions(_ name: String) -> Bool {
        guard let first = name.first else { return false }
        return first.isLetter || first == "_" ? words.contains(Substring(name)) : text.contains(name)
    }
}
