import Foundation

/// A save's rebuild without SwiftPM. When only the contents of the student's files changed since
/// the last full build, that build's own commands are all a rebuild needs: the `Kata` module's
/// (the Swift driver, incremental: it recompiles the saved file), the compiler's jobs for the kata
/// test files that see something of the module that changed (``ModuleSurface``: a function they
/// call got a new signature, a type they use a new member; ``TestCompileJobs``), and the test
/// binary's link (``LinkJobs``: the driver's own jobs for it, run without the driver).
/// SwiftPM's planning, about a second on a 2-core laptop, is a third of a save's rebuild; and in `.build/`, which the kata build shares with the default
/// manifest's (see ``Checker``), every switch between the two manifests costs SwiftPM seconds
/// more. So the runner runs those commands itself, as the full build wrote them in its build
/// description (`debug.yaml`).
///
/// Anything else sends the check back to `swift build`: a file added, removed or renamed, a test,
/// the runtime or the manifest changed (the ``key``). SwiftPM's own bookkeeping stays right: it
/// sees the newer sources and outputs at its next build and runs what it must again.
struct QuickBuild: Codable, Sendable, Equatable {
    /// What the commands were written for: everything a build reads but the contents of the
    /// student's files (see ``Checker``).
    var key: String
    /// The `Kata` module's compile command.
    var compile: [String]
    /// The test binary's link command.
    var link: [String]
    /// The module's interface, written by the compile only when it changed.
    var interface: String
    /// The compiler's map from each source file to its object file.
    var outputFileMap: String
    /// The folder of the module's object files.
    var objects: String
    /// The test binary.
    var binary: String
    /// The compiler's job for each kata test file, run for those that see a changed name.
    var testJobs: TestCompileJobs? = nil
    /// The link's own jobs, run without the driver when it could plan them.
    var linkJobs: LinkJobs? = nil
    /// Where the compile writes the module's symbol graph (``ModuleSurface``).
    var symbolGraphs: String? = nil

    /// What a quick build gave.
    enum Outcome: Sendable, Equatable {
        /// It built (or nothing needed building).
        case built
        /// The student's files do not compile: the compiler's output.
        case failed(output: String)
        /// The module's interface changed: only a full build is right now.
        case needsFullBuild
        /// A newer save cancelled it.
        case cancelled
    }

    /// The commands of the last full build in `scratch`, for `key`, read from its build
    /// description; nil if they are not there as expected (a SwiftPM that writes them otherwise).
    ///
    /// The files those commands read their lists from (the module's sources and output file map,
    /// the binary's objects) are copied into `kata-quick-build/`, and the commands read the copies:
    /// a `swift run` in the manifest's default mode plans the same targets in the same folder and
    /// rewrites SwiftPM's own files with the reference solutions' lists.
    static func fromBuildDescription(in scratch: URL, key: String) -> QuickBuild? {
        guard
            let text = try? String(contentsOf: scratch.appendingPathComponent("debug.yaml"), encoding: .utf8)
        else { return nil }
        let commands = BuildDescription(yaml: text)
        let copies = copies(in: scratch)
        guard
            let compiled = commands.arguments(where: {
                $0.hasPrefix("C.Kata-") && $0.hasSuffix("-debug.module")
            }),
            let linked = commands.arguments(where: {
                $0.hasPrefix("C.\(Workspace.testProduct)-") && $0.hasSuffix("-debug.test")
            }),
            let interface = compiled.value(after: "-emit-module-path"),
            let binary = linked.value(after: "-o"),
            let map = compiled.value(after: "-output-file-map"),
            (try? FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)) != nil,
            // The driver's machine-readable output would hide the errors from `compilerErrors(in:)`.
            let compile = readingCopies(
                compiled.filter { $0 != "-parseable-output" }, in: copies, as: "compile"),
            let link = readingCopies(linked, in: copies, as: "link"),
            let mapCopy = compile.value(after: "-output-file-map")
        else { return nil }
        // Every access level: a private stored property changes the layout a test compiled against.
        let graphs = copies.appendingPathComponent("symbols").path
        let surface = [
            "-emit-symbol-graph", "-emit-symbol-graph-dir", graphs, "-symbol-graph-minimum-access-level",
            "private",
        ]
        let tests = commands.arguments(where: {
            $0.hasPrefix("C.KataTests-") && $0.hasSuffix("-debug.module")
        })
        return QuickBuild(
            key: key, compile: compile + surface, link: link, interface: interface, outputFileMap: mapCopy,
            objects: URL(fileURLWithPath: map).deletingLastPathComponent().path, binary: binary,
            testJobs: tests.flatMap { TestCompileJobs.planned(by: $0.filter { $0 != "-parseable-output" }) },
            linkJobs: LinkJobs.planned(by: link), symbolGraphs: graphs)
    }

    /// `arguments` reading copies, made now in `folder`, of their response files (`@FILE`) and
    /// output file map; nil if one could not be copied.
    private static func readingCopies(_ arguments: [String], in folder: URL, as command: String) -> [String]?
    {
        var result: [String] = []
        var isMap = false
        for argument in arguments {
            let path = argument.hasPrefix("@") ? String(argument.dropFirst()) : isMap ? argument : nil
            isMap = argument == "-output-file-map"
            guard let path else {
                result.append(argument)
                continue
            }
            let copy = folder.appendingPathComponent(
                "\(command)-\(URL(fileURLWithPath: path).lastPathComponent)")
            try? FileManager.default.removeItem(at: copy)
            guard (try? FileManager.default.copyItem(atPath: path, toPath: copy.path)) != nil else {
                return nil
            }
            result.append(argument.hasPrefix("@") ? "@" + copy.path : copy.path)
        }
        return result
    }

    /// Where the commands are kept between checks.
    static func file(in scratch: URL) -> URL { scratch.appendingPathComponent("kata-quick-build.json") }

    /// The commands kept in `scratch`, if any.
    static func read(from scratch: URL) -> QuickBuild? {
        (try? Data(contentsOf: file(in: scratch))).flatMap {
            try? JSONDecoder().decode(QuickBuild.self, from: $0)
        }
    }

    /// Keeps the commands in `scratch` for the next check.
    func write(to scratch: URL) {
        try? JSONEncoder().encode(self).write(to: Self.file(in: scratch), options: .atomic)
    }

    /// Recompiles the module (and the tests, if what they see of it changed) and relinks the test
    /// binary if an object file changed.
    func run(cancellation: Cancellation?) throws -> Outcome {
        removeStaleObjects()
        let before = FileIdentity.of(interface)
        if let stop = try compileModule(cancellation: cancellation) { return stop }
        let interfaceChanged = FileIdentity.of(interface) != before
        let tests = compileTestsIfTheyMayChange(
            interfaceChanged: interfaceChanged, cancellation: cancellation)
        if case .stopped(let stop) = tests { return stop }
        if !interfaceChanged, tests == .unchanged, !objectsAreNewerThanBinary() { return .built }
        let linked =
            try linkJobs?.run(cancellation: cancellation)
            ?? ChildProcess.run(link[0], Array(link.dropFirst()), cancellation: cancellation).ending
        if linked != .exited(0) {
            // A link cut short may leave half a binary newer than every object: never run it.
            try? FileManager.default.removeItem(atPath: binary)
        }
        switch linked {
        case .exited(0): return .built
        case .cancelled: return .cancelled
        default: return .needsFullBuild
        }
    }

    /// After a full build, which compiled the tests against the module as it is: learns what they
    /// see of it, so that the next save that changes only what they never name skips them. The
    /// module's compile here is a whole one (the driver's arguments differ from SwiftPM's by the
    /// symbol graph), and rewrites the interface only if it differs, which it does not: the same
    /// sources make the same module.
    func learnWhatTheTestsSee(cancellation: Cancellation?) throws {
        let before = FileIdentity.of(interface)
        guard try compileModule(cancellation: cancellation) == nil else { return }
        if FileIdentity.of(interface) == before, let surface = currentSurface() {
            write(surface, to: testedSurfaceFile)
        }
    }

    /// Compiles the module, its symbol graph beside it; nil if it succeeded.
    private func compileModule(cancellation: Cancellation?) throws -> Outcome? {
        if let symbolGraphs { try? FileManager.default.removeItem(atPath: symbolGraphs) }
        return try step(compile, cancellation: cancellation)
    }

    /// What became of the tests at a save.
    private enum TestsStep: Equatable {
        /// None needed compiling.
        case unchanged
        /// Those that needed it compiled.
        case compiled
        /// The build ends here.
        case stopped(Outcome)
    }

    /// Recompiles the tests that may see the module otherwise than when they were last compiled:
    /// after the module's interface changed, and after a save whose recompile of some of them
    /// failed or was cut short (what they were compiled against is then forgotten), until they compile.
    private func compileTestsIfTheyMayChange(interfaceChanged: Bool, cancellation: Cancellation?) -> TestsStep
    {
        let tested = read(ModuleSurface.self, from: testedSurfaceFile)
        // An unchanged interface needs a look only at what an earlier save left undone (and the
        // symbol graph is read only then, not at every save).
        if !interfaceChanged, tested?.hasForgottenNames != true { return .unchanged }
        let surface = currentSurface()
        if !interfaceChanged, surface == nil { return .unchanged }
        guard let testJobs else { return .stopped(.needsFullBuild) }
        let tests = testJobs.bySource.keys.sorted().map { URL(fileURLWithPath: $0) }
        let affected = surface.flatMap { now in tested.map { now.testsAffected(tests, since: $0) } } ?? tests
        if affected.isEmpty { return .unchanged }
        try? FileManager.default.removeItem(atPath: testedSurfaceFile)
        if let stop = testJobs.compile(affected, cancellation: cancellation) {
            // Those that spell a changed name may be compiled against either form of it now.
            if let surface, let tested {
                write(tested.forgetting(surface.changedNames(since: tested)), to: testedSurfaceFile)
            }
            return .stopped(stop)
        }
        if let surface { write(surface, to: testedSurfaceFile) }
        return .compiled
    }

    /// What the symbol graph the module's last compile wrote says the tests could see.
    private func currentSurface() -> ModuleSurface? {
        guard let symbolGraphs else { return nil }
        return ModuleSurface(
            module: "Kata", symbolGraphs: URL(fileURLWithPath: symbolGraphs), sources: sources(of: compile))
    }

    /// What the tests were last compiled against, kept with the copies (where the output file map's is).
    private var testedSurfaceFile: String {
        URL(fileURLWithPath: outputFileMap).deletingLastPathComponent().appendingPathComponent(
            Self.testedSurfaceName
        ).path
    }

    private static let testedSurfaceName = "tests-surface.json"

    /// Forgets what the tests were compiled against: a full build compiles them again.
    static func forgetWhatTheTestsSee(in scratch: URL) {
        try? FileManager.default.removeItem(at: copies(in: scratch).appendingPathComponent(testedSurfaceName))
    }

    /// Where the commands' copies of SwiftPM's lists are kept.
    private static func copies(in scratch: URL) -> URL { scratch.appendingPathComponent("kata-quick-build") }

    /// The source files a compile command reads from its response file (`@FILE`, a path a line).
    private func sources(of command: [String]?) -> [URL] {
        guard let list = command?.first(where: { $0.hasPrefix("@") }),
            let text = try? String(contentsOfFile: String(list.dropFirst()), encoding: .utf8)
        else { return [] }
        return text.split(whereSeparator: \.isNewline).map {
            URL(fileURLWithPath: $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        }
    }

    private func read<T: Decodable>(_ type: T.Type, from path: String) -> T? {
        FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(type, from: $0) }
    }

    private func write(_ value: some Encodable, to path: String) {
        try? JSONEncoder().encode(value).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Runs a compile; nil if it succeeded, else how the build ends (the compiler's errors are
    /// the student's to read, whether in their file or in a test that no longer fits it).
    private func step(_ command: [String], cancellation: Cancellation?) throws -> Outcome? {
        let compiled = try ChildProcess.run(
            command[0], Array(command.dropFirst()), cancellation: cancellation)
        switch compiled.ending {
        case .exited(0): return nil
        case .cancelled: return .cancelled
        default: return .failed(output: compiled.output)
        }
    }

    /// Removes every object file not newer than its source, so that the next compile, quick or
    /// full, makes it again. A build leaves each object newer than the source it was made from,
    /// but the driver decides what to recompile from the modification times it recorded, and
    /// saves seconds apart sometimes left it sure that a changed file was up to date (seen once
    /// in four runs of `QuickBuildTests`): a missing object it always makes.
    func removeStaleObjects() {
        guard let data = FileManager.default.contents(atPath: outputFileMap),
            let map = try? JSONDecoder().decode([String: [String: String]].self, from: data)
        else { return }
        for (source, outputs) in map where !source.isEmpty {
            guard let object = outputs["object"], let made = Self.modified(object) else { continue }
            if Self.modified(source).map({ made <= $0 }) ?? false {
                try? FileManager.default.removeItem(atPath: object)
            }
        }
    }

    /// Whether the compile wrote an object file after the binary was linked (a save that changed
    /// only a comment's words leaves every object as it was).
    private func objectsAreNewerThanBinary() -> Bool {
        guard let linked = Self.modified(binary) else { return true }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: objects)) ?? []
        return names.contains { name in
            name.hasSuffix(".o") && (Self.modified(objects + "/" + name).map { $0 > linked } ?? true)
        }
    }

    private static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}

/// The commands of SwiftPM's build description (`debug.yaml`), by name: only the lines this
/// runner reads (`  "NAME":` opening a command, `    args: [JSON strings]` in it).
struct BuildDescription: Sendable {
    private var arguments: [String: [String]] = [:]

    /// Reads `yaml`.
    init(yaml: String) {
        var command: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("  \""), line.hasSuffix("\":") {
                command = String(line.dropFirst(3).dropLast(2))
            } else if let name = command, line.hasPrefix("    args: ["),
                let list = try? JSONDecoder().decode(
                    [String].self, from: Data(line.dropFirst("    args: ".count).utf8))
            {
                arguments[name] = list
            }
        }
    }

    /// The arguments of the one command whose name passes `matches`; nil if none or several do.
    func arguments(where matches: (String) -> Bool) -> [String]? {
        let found = arguments.filter { matches($0.key) }
        return found.count == 1 ? found.first?.value : nil
    }
}

extension [String] {
    /// The argument after the first `flag`.
    func value(after flag: String) -> String? {
        firstIndex(of: flag).flatMap { index(after: $0) < endIndex ? self[index(after: $0)] : nil }
    }
}
