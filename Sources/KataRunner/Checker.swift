import Foundation
import Synchronization

/// The student's loop: works out every exercise's state as fast as it can be known. A file that is
/// still its stub is "not started" without a run; an exercise whose file, tests and runtime are
/// unchanged keeps its remembered verdict; the rest are built once, the current one runs first, the
/// others together, and any that did not pass runs again in a process of its own (so a crash or
/// an endless loop stays in its exercise).
public struct Checker: Sendable {
    /// The workspace checked.
    public let workspace: Workspace
    /// Its exercises.
    public let manifest: KataManifest
    /// What one suite's process may take: CPU time against endless loops (no kata suite needs
    /// more than a few seconds of it), a memory cap against the loops that also collect, and a
    /// generous deadline on the clock, since a busy machine slows a correct suite too.
    public var limits = ChildProcess.Limits(seconds: 60, cpuSeconds: 10, memory: 2 << 30)
    /// The longest any wait of a test lasts, in seconds (`NODENET_TEST_PATIENCE`): on loopback an
    /// answer comes in milliseconds or not at all, and a student should not wait out 30 s for a
    /// stub. CI and `kata verify` keep the tests' own, longer waits.
    public var patience: Int? = 3
    /// Suites run side by side.
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Whether suites after the first are tried together in one process before any runs alone
    /// (see ``runSuites(_:scratch:patience:cancellation:onVerdict:)``). `kata verify`, which expects
    /// most of its suites to fail, runs each alone from the start.
    public var runsTogether = true

    /// A checker of `workspace`'s exercises.
    public init(workspace: Workspace, manifest: KataManifest) {
        self.workspace = workspace
        self.manifest = manifest
    }

    private var scratch: URL { workspace.scratch(for: .student) }
    private var cacheFile: URL { scratch.appendingPathComponent("kata-verdicts.json") }
    private var stampFile: URL { scratch.appendingPathComponent("kata-build-stamp.json") }

    /// Whether the student's copy was ever built here (the first build takes minutes, the next seconds).
    public var hasBuilt: Bool { FileManager.default.fileExists(atPath: stampFile.path) }

    /// What every exercise's verdict also depends on: the runtime, the test support and the
    /// manifest of the build.
    func supportHash() -> String {
        var hash = ContentHash()
        for folder in ["Sources/NodeNet", "Tests/TestSupport"] {
            for file in swiftFiles(under: folder) { hash.add(file: file) }
        }
        // The C modules are headers and module maps; the resolved versions pick SwiftNIO's code.
        for folder in ["Sources/COpenSSL", "Sources/CStdio"] {
            for file in files(under: folder) { hash.add(file: file) }
        }
        for file in ["Package.swift", "Package.resolved"] {
            hash.add(file: workspace.root.appendingPathComponent(file))
        }
        return hash.hex
    }

    /// The key an exercise's verdict is remembered under.
    /// The exercises share one module, so the key also holds the files of every exercise this
    /// one `uses`, and of theirs in turn.
    func key(of exercise: KataManifest.Exercise, in folder: String, support: String) -> String {
        var hash = ContentHash()
        hash.add(file: workspace.root.appendingPathComponent(workspace.testPath(of: exercise, in: folder)))
        var pending = [(folder, exercise)]
        var seen: Set<String> = []
        while let (folder, exercise) = pending.popLast() {
            guard seen.insert(exercise.name).inserted else { continue }
            hash.add(
                file: workspace.root.appendingPathComponent(
                    workspace.path(of: exercise, in: folder, copy: .student)))
            pending += (exercise.uses ?? []).compactMap { manifest.find($0) }
        }
        hash.add(Array(support.utf8))
        return hash.hex
    }

    /// Every exercise's state as far as it is known without building or running anything: not
    /// started, a remembered verdict, or unknown. Also each exercise's cache key.
    public func known() -> (progress: KataProgress, keys: [String: String]) {
        known(support: supportHash())
    }

    /// ``known()`` with the support hash already worked out (it reads every runtime source).
    private func known(support: String) -> (progress: KataProgress, keys: [String: String]) {
        let cache = VerdictCache(file: cacheFile)
        var keys: [String: String] = [:]
        let entries: [KataProgress.Entry] = manifest.all.map { folder, exercise in
            if workspace.isUntouched(exercise, in: folder) { return (folder, exercise, .notStarted) }
            let key = key(of: exercise, in: folder, support: support)
            keys[exercise.name] = key
            return (folder, exercise, cache.state(of: exercise.name, key: key) ?? .unknown)
        }
        return (KataProgress(entries: entries), keys)
    }

    /// Checks the student's files: builds if anything needs running, runs what is not known
    /// (only `names`' suites if given), first the first of them, and tells `onVerdict` each
    /// verdict as it comes. A cancelled check returns what it knew by then.
    public func check(
        only names: Set<String>? = nil, cancellation: Cancellation? = nil,
        onVerdict: @escaping @Sendable (KataProgress.Entry) -> Void = { _ in }
    ) throws -> KataProgress {
        // Hashed once per check: the verdict keys and the build stamp all hold it.
        let support = supportHash()
        var (progress, keys) = known(support: support)
        // An exercise asked for by name (`kata run NAME`) runs whatever is known of it.
        for index in progress.entries.indices
        where names?.contains(progress.entries[index].exercise.name) == true {
            let (folder, exercise, _) = progress.entries[index]
            keys[exercise.name] = key(of: exercise, in: folder, support: support)
            progress.entries[index].state = .unknown
        }
        let remembered = keys
        let toRun = progress.entries.indices.filter {
            progress.entries[$0].state == .unknown
                && names?.contains(progress.entries[$0].exercise.name) != false
        }
        let binary = workspace.testBinary(in: scratch)
        guard !toRun.isEmpty || !FileManager.default.fileExists(atPath: binary.path) else { return progress }
        switch try buildIfChanged(support: support, cancellation: cancellation) {
        case .cancelled: return progress
        case .failed(let output):
            progress.markCompilerErrors(output, workspace: workspace)
            return progress
        case .built: break
        }
        let cache = Mutex(VerdictCache(file: cacheFile))
        let results = runSuites(
            toRun.map { progress.entries[$0] }, scratch: scratch, patience: patience,
            cancellation: cancellation
        ) { entry, ran in
            // A file saved while this check ran may have been built, or not: a verdict is kept
            // only under a key that still describes the files.
            if ran, let key = remembered[entry.exercise.name],
                key == self.key(of: entry.exercise, in: entry.folder, support: support)
            {
                cache.withLock { $0.remember(entry.state, of: entry.exercise.name, key: key) }
            }
            onVerdict(entry)
        }
        for (index, state) in zip(toRun, results) { progress.entries[index].state = state }
        return progress
    }

    /// Builds the student's copy unless nothing it is built from changed since the last build:
    /// with the last full build's own commands when only the contents of the student's files
    /// changed (``QuickBuild``), else with `swift build`.
    ///
    /// The student's copy is built in `.build/`, beside the chapters, so SwiftNIO and the runtime
    /// are built once for both; but there `swift build` and `swift test` build the reference
    /// solutions' `Kata` and the whole package's test binary in the same places. So a build is
    /// trusted only while what it made is as it left it (``BuildStamp``): anything else built
    /// there since sends the check to `swift build` in the student's mode.
    private func buildIfChanged(support: String, cancellation: Cancellation?) throws -> BuildResult {
        // The stamp covers every file a build reads; the quick key all but the student's files' contents.
        var stampHash = ContentHash()
        var quickHash = ContentHash()
        stampHash.add(Array(support.utf8))
        quickHash.add(Array(support.utf8))
        for folder in ["Exercises", "Tests/KataTests"] {
            for file in swiftFiles(under: folder) {
                stampHash.add(Array(file.path.utf8))
                stampHash.add(file: file)
                quickHash.add(Array(file.path.utf8))
                if folder != "Exercises" { quickHash.add(file: file) }
            }
        }
        let stamp = stampHash.hex
        let binary = workspace.testBinary(in: scratch).path
        let quick = QuickBuild.read(from: scratch)
        let outputs = BuildStamp.outputs(binary: binary, quick: quick)
        let last = BuildStamp.read(from: stampFile)
        guard FileManager.default.fileExists(atPath: binary), let last, last.outputs == outputs else {
            return try fullBuild(
                stamp: stamp, quickKey: quickHash.hex, after: quick, cancellation: cancellation)
        }
        if last.files == stamp { return .built }
        if let quick, quick.key == quickHash.hex {
            switch try quick.run(cancellation: cancellation) {
            case .built:
                BuildStamp(files: stamp, outputs: BuildStamp.outputs(binary: binary, quick: quick))
                    .write(to: stampFile)
                return .built
            case .failed(let output):
                // What the failed compile rewrote (the module's interface) is this runner's own:
                // the next save goes on from it without SwiftPM.
                BuildStamp(files: "", outputs: BuildStamp.outputs(binary: binary, quick: quick)).write(
                    to: stampFile)
                return .failed(output: output)
            case .cancelled: return .cancelled
            case .needsFullBuild: break
            }
        }
        return try fullBuild(stamp: stamp, quickKey: quickHash.hex, after: quick, cancellation: cancellation)
    }

    /// `swift build`, then the stamp and the commands a quick build reuses. `previous`, the
    /// commands kept so far, first has its stale objects removed (SwiftPM's driver keeps the same
    /// records as the quick builds' one), and stops being used: until a full build succeeds, the
    /// tests may be compiled against another interface than the module's, and no quick build may
    /// link them.
    private func fullBuild(
        stamp: String, quickKey: String, after previous: QuickBuild?, cancellation: Cancellation?
    ) throws -> BuildResult {
        try? FileManager.default.removeItem(at: stampFile)
        if var previous {
            previous.removeStaleObjects()
            previous.key = ""
            previous.write(to: scratch)
        }
        QuickBuild.forgetWhatTheTestsSee(in: scratch)
        let result = try workspace.build(.student, cancellation: cancellation)
        if result == .built {
            let quick = QuickBuild.fromBuildDescription(in: scratch, key: quickKey)
            quick?.write(to: scratch)
            try quick?.learnWhatTheTestsSee(cancellation: cancellation)
            let binary = workspace.testBinary(in: scratch).path
            BuildStamp(files: stamp, outputs: BuildStamp.outputs(binary: binary, quick: quick))
                .write(to: stampFile)
        }
        return result
    }

    /// Runs each entry's suite from the binary in `scratch` and returns their states in order.
    /// The first runs alone (the student's current exercise, shown as soon as it is known). The
    /// rest first run together in one process (``runTogether(_:indices:scratch:patience:cancellation:)``);
    /// every suite that did not pass there runs again in a process of its own, side by side, so a
    /// failure, crash or endless loop is reported from its own run and blames its own exercise.
    func runSuites(
        _ entries: [KataProgress.Entry], scratch: URL, patience: Int?, cancellation: Cancellation?,
        onVerdict: @escaping @Sendable (KataProgress.Entry, _ ran: Bool) -> Void
    ) -> [KataProgress.State] {
        let states = Mutex([KataProgress.State](repeating: .unknown, count: entries.count))
        @Sendable func record(_ index: Int, _ state: KataProgress.State, ran: Bool) {
            states.withLock { $0[index] = state }
            let (folder, exercise, _) = entries[index]
            onVerdict((folder, exercise, state), ran)
        }
        guard !entries.isEmpty else { return [] }
        let (first, ran) = runAlone(
            entries[0].exercise, scratch: scratch, patience: patience, cancellation: cancellation)
        record(0, first, ran: ran)
        var rest = Array(entries.indices.dropFirst())
        if runsTogether, rest.count >= Self.fewestRunTogether, cancellation?.isCancelled != true {
            let passed = runTogether(
                entries, indices: rest, scratch: scratch, patience: patience, cancellation: cancellation)
            for index in rest where passed.contains(index) { record(index, .done, ran: true) }
            rest.removeAll { passed.contains($0) }
        }
        let alone = rest
        sideBySide(alone.count, workers: workers, cancellation: cancellation) { next in
            let index = alone[next]
            let (state, ran) = runAlone(
                entries[index].exercise, scratch: scratch, patience: patience, cancellation: cancellation)
            record(index, state, ran: ran)
        }
        return states.withLock { $0 }
    }

    /// How many suites are worth one shared process: below this, starting the test binary once
    /// per suite costs less than a shared run that a failure makes run again.
    static let fewestRunTogether = 3

    /// Runs `exercise`'s suite in a process of its own; its state, and false when the process
    /// could not even start (a binary being relinked by another check), which says nothing about
    /// the student's code.
    private func runAlone(
        _ exercise: KataManifest.Exercise, scratch: URL, patience: Int?, cancellation: Cancellation?
    ) -> (KataProgress.State, ran: Bool) {
        do {
            let result = try workspace.runSuite(
                exercise.suite, scratch: scratch, limits: limits, patience: patience,
                cancellation: cancellation)
            return (
                Verdict.state(ofSuite: exercise.suite, ending: result.ending, output: result.output), true
            )
        } catch {
            return (.crashed(test: nil, lines: ["\(error)"]), false)
        }
    }

    /// Runs the suites of `entries` at `indices` in one process and returns the indices of
    /// those that passed. A board where everything changed (a new runtime, a pull) is mostly
    /// passing suites, and one process starts once instead of once per suite. Only passes count:
    /// the suites share an event loop there, so one student's endless loop or crash could fail
    /// another exercise's test. The shared run gets one suite's CPU and memory limits and at most
    /// 30 s, so a loop in one suite costs at most that before every suite that did not pass runs
    /// alone.
    private func runTogether(
        _ entries: [KataProgress.Entry], indices: [Int], scratch: URL, patience: Int?,
        cancellation: Cancellation?
    ) -> Set<Int> {
        let suites = indices.map { entries[$0].exercise.suite }
        // Nobody reads a shared run's backtrace, and its waits are capped by `patience` already.
        var shared = limits
        shared.backtrace = false
        shared.seconds = min(limits.seconds ?? 30, 30)
        guard
            let result = try? workspace.runSuites(
                suites, scratch: scratch, limits: shared, patience: patience, cancellation: cancellation)
        else { return [] }
        let report = TestReport(swiftTestOutput: result.output)
        return Set(indices.filter { report.suites[entries[$0].exercise.suite]?.passed == true })
    }

    private func swiftFiles(under folder: String) -> [URL] {
        files(under: folder).filter { $0.pathExtension == "swift" }
    }

    /// Every file under `folder`, but the exercises' other copies, in a stable order.
    private func files(under folder: String) -> [URL] {
        let base = workspace.root.appendingPathComponent(folder)
        let skipped = ["Stubs", "Solutions", "Mutants"].map { "/Exercises/" + $0 }
        var found: [URL] = []
        let walker = FileManager.default.enumerator(
            at: base, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = walker?.nextObject() as? URL {
            if skipped.contains(where: url.path.hasSuffix) {
                walker?.skipDescendants()
            } else if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                found.append(url)
            }
        }
        return found.sorted { $0.path < $1.path }
    }
}
