import Foundation
import Testing

@testable import KataRunner

/// A save rebuilt without SwiftPM (``QuickBuild``), on a real package built for real: a workspace
/// as small as the kata's shape allows (one exercise, one suite, no runtime), so that its first
/// build takes seconds. Whether SwiftPM ran is read from its build database, which every
/// `swift build` writes and the quick path never touches. One test at a time: each runs
/// `swift build` several times, and side by side in a plain `swift test` on two cores they starved
/// every other test of the process.
@Suite(.serialized, .timeLimit(.minutes(10))) struct QuickBuildTests {
    let workspace: Workspace
    let manifest: KataManifest

    init() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kata-quick-\(UUID().uuidString)")
        func write(_ path: String, _ text: String) throws {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        try write(
            "Package.swift",
            """
            // swift-tools-version: 6.1
            import PackageDescription
            // As the real manifest: the solutions by default, the student's files for `kata`.
            let student = Context.environment["NODENET_KATA"] == "student"
            let package = Package(
                name: "NodeNetSwift",
                targets: [
                    student
                        ? .target(name: "Kata", path: "Exercises", exclude: ["kata.json", "Stubs", "Solutions"])
                        : .target(name: "Kata", path: "Exercises/Solutions"),
                    // Another product of the default manifest, as the chapters are.
                    .executableTarget(name: "tool", path: "Tool"),
                    .testTarget(name: "KataTests", dependencies: ["Kata"]),
                ]
            )
            """)
        try write(
            "Exercises/kata.json",
            """
            {"chapters": [{"folder": "01-q", "title": "Q", "exercises": [{"name": "answer", \
            "file": "Answer.swift", "suite": "AnswerKata", "section": "§0", "practises": "", "hint": ""}]}]}
            """)
        try write("Exercises/Stubs/01-q/Answer.swift", "public func answer() -> Int { 0 }\n")
        try write("Exercises/01-q/Answer.swift", "public func answer() -> Int { 1 }\n")
        try write("Exercises/Solutions/01-q/Answer.swift", "public func answer() -> Int { 42 }\n")
        try write("Tool/main.swift", "print(\"tool\")\n")
        try write(
            "Tests/KataTests/01-q/AnswerKata.swift",
            """
            import Kata
            import Testing

            @Suite struct AnswerKata {
                @Test func isFortyTwo() { #expect(answer() == 42, "answer() is \\(answer())") }
            }
            """)
        workspace = Workspace(root: root)
        manifest = try KataManifest.load(from: root)
    }

    private var answerFile: URL { workspace.root.appendingPathComponent("Exercises/01-q/Answer.swift") }
    private var buildDatabase: URL { workspace.scratch(for: .student).appendingPathComponent("build.db") }

    /// Saves `code` as the student's file and checks it; returns the board and whether SwiftPM ran.
    private func save(_ code: String) async throws -> (progress: KataProgress, swiftPMRan: Bool) {
        let before =
            try? FileManager.default.attributesOfItem(atPath: buildDatabase.path)[.modificationDate] as? Date
        try code.write(to: answerFile, atomically: true, encoding: .utf8)
        let checker = Checker(workspace: workspace, manifest: manifest)
        let progress = try await Fixtures.offThePool { try checker.check() }
        let after =
            try FileManager.default.attributesOfItem(atPath: buildDatabase.path)[.modificationDate] as? Date
        return (progress, before != after)
    }

    @Test func aSaveRecompilesAndRelinksWithoutSwiftPMUnlessTheInterfaceOrTheFilesChange() async throws {
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let first = try await save("public func answer() -> Int { 1 }\n")
        #expect(first.swiftPMRan)
        guard case .failing(let messages) = first.progress.state(of: "answer") else {
            Issue.record(
                "a wrong answer is failing: \(String(describing: first.progress.state(of: "answer")))")
            return
        }
        #expect(messages.contains { $0.contains("answer() is 1") })
        // The driver planned the tests' compile and the link as jobs a save runs without it.
        let kept = QuickBuild.read(from: workspace.scratch(for: .student))
        #expect(
            kept?.testJobs != nil && kept?.linkJobs != nil, "no jobs planned: \(String(describing: kept))")

        // A body changed: the quick path, and the binary runs the new code.
        let right = try await save("public func answer() -> Int { 42 }\n")
        #expect(!right.swiftPMRan, "a change inside a function needs no planning")
        #expect(right.progress.state(of: "answer") == .done)

        // A mistake: the compiler's own words, from the quick path.
        let broken = try await save("public func answer() -> Int { 42 \n")
        #expect(!broken.swiftPMRan)
        #expect(broken.progress.compilerOutput?.contains("Answer.swift") == true)
        #expect(broken.progress.compilerOutput?.contains("error:") == true)

        // A new public function changes the module's interface, but no test names it: relinked,
        // still without SwiftPM (what the tests see is ``aHelperTheTestsNeverNameIsLinkedWithoutRecompilingThem``).
        let grown = try await save("public func answer() -> Int { 42 }\npublic func extra() -> Int { 1 }\n")
        #expect(!grown.swiftPMRan)
        #expect(grown.progress.state(of: "answer") == .done)

        // A function the tests call, gone: the tests' compile errors are what the student reads.
        let renamed = try await save("public func answr() -> Int { 42 }\npublic func extra() -> Int { 1 }\n")
        #expect(!renamed.swiftPMRan)
        #expect(renamed.progress.compilerOutput?.contains("AnswerKata.swift") == true)
        #expect(renamed.progress.compilerOutput?.contains("answer") == true)

        // Tests compiled only in part are never linked: the fix compiles again those that spell
        // what changed (``aTestCompileThatFailedIsRedoneOnTheNextSave``), still without SwiftPM.
        // (Not the text saved before, whose verdict is remembered: that would build nothing.)
        let fixed = try await save(
            "public func answer() -> Int { 40 + 2 }\npublic func extra() -> Int { 1 }\n")
        #expect(!fixed.swiftPMRan)
        #expect(fixed.progress.state(of: "answer") == .done)

        // And the quick path goes on.
        let wrongAgain = try await save(
            "public func answer() -> Int { 7 }\npublic func extra() -> Int { 1 }\n")
        #expect(!wrongAgain.swiftPMRan)
        guard case .failing(let later) = wrongAgain.progress.state(of: "answer") else {
            Issue.record("7 is failing: \(String(describing: wrongAgain.progress.state(of: "answer")))")
            return
        }
        #expect(later.contains { $0.contains("answer() is 7") })

        // A new file is a new build plan: SwiftPM.
        try "func helper() -> Int { 42 }\n".write(
            to: workspace.root.appendingPathComponent("Exercises/01-q/Helper.swift"), atomically: true,
            encoding: .utf8)
        let added = try await save(
            "public func answer() -> Int { helper() }\npublic func extra() -> Int { 1 }\n")
        #expect(added.swiftPMRan)
        #expect(added.progress.state(of: "answer") == .done)
    }

    @Test func whatSwiftBuildAndSwiftTestMakeInTheSharedFolderIsNeverTakenForTheStudentsBuild()
        async throws
    {
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let first = try await save("public func answer() -> Int { 1 }\n")
        #expect(first.swiftPMRan)
        try expectFailing(first, saying: "answer() is 1")

        // `swift run` of another product plans the default manifest's targets in the same folder,
        // rewriting SwiftPM's lists for `Kata` with the solution's files: saves stay quick, and
        // still compile the student's file.
        try await buildDefault(["--product", "tool"])
        let afterRun = try await save("public func answer() -> Int { 3 }\n")
        #expect(!afterRun.swiftPMRan, "planning another product leaves the student's build as it was")
        try expectFailing(afterRun, saying: "answer() is 3")

        // `swift test`'s build: the reference solution's module, linked into the same test binary.
        try await buildDefault(["--build-tests"])
        let afterTests = try await save("public func answer() -> Int { 2 }\n")
        #expect(afterTests.swiftPMRan, "the binary is the solution's now: the student's copy is rebuilt")
        try expectFailing(afterTests, saying: "answer() is 2")

        // Quick builds go on from that rebuild.
        let body = try await save("public func answer() -> Int { 7 }\n")
        #expect(!body.swiftPMRan)
        try expectFailing(body, saying: "answer() is 7")

        // `swift build`'s: the solution's objects under the student's binary. The next save is
        // still the student's code, however it is rebuilt.
        try await buildDefault([])
        try expectFailing(try await save("public func answer() -> Int { 41 }\n"), saying: "answer() is 41")
        #expect(try await save("public func answer() -> Int { 42 }\n").progress.state(of: "answer") == .done)
    }

    /// After a kata build through SwiftPM, the default manifest's plan is put back in the
    /// background (``DefaultPlan``), so the student's next `swift run` plans nothing: SwiftPM
    /// would plan twice, once for the environment and once for the folders it watches.
    @Test func afterAKataBuildTheNextSwiftRunPlansNothing() async throws {
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let plan = {
            var plan = DefaultPlan(workspace: workspace)
            plan.product = "tool"
            return plan
        }()
        /// `swift run tool`'s build, as the student types it; whether SwiftPM planned.
        func nextSwiftRunPlans() async throws -> Bool {
            let result = try await Fixtures.offThePool {
                try ChildProcess.run(
                    "swift", ["build", "--product", "tool", "--package-path", workspace.root.path])
            }
            #expect(result.ending == .exited(0), "swift build failed: \(result.output)")
            return result.output.contains("Planning build")
        }
        _ = try await save("public func answer() -> Int { 1 }\n")
        #expect(plan.isStale, "the kata build is noted")
        let output = try await Fixtures.offThePool { try plan.restore() }
        #expect(output == nil, "the plannings failed: \(output ?? "")")
        #expect(!plan.isStale)
        #expect(try await !nextSwiftRunPlans(), "the plan was put back: nothing to plan")

        // Without it, the next two runs both plan (which is what the check above would see).
        _ = try await Fixtures.offThePool { try workspace.build(.student) }
        #expect(try await nextSwiftRunPlans())
        #expect(try await nextSwiftRunPlans())
        #expect(try await !nextSwiftRunPlans())

        // A `kata` that is not this workspace's own (a test's, or another clone's) builds nothing here.
        _ = try await Fixtures.offThePool { try workspace.build(.student) }
        #expect(!plan.restoreInBackground(runningAs: URL(fileURLWithPath: "/usr/bin/true")))
        #expect(plan.isStale)
        #expect(plan.isOwnKata(workspace.root.appendingPathComponent(".build/debug/tool")))
    }

    /// A save that changes only what no test names (a helper, private or not) relinks the tests
    /// without recompiling them; one that changes what they use recompiles them, so that they
    /// never read a type with the layout it had before.
    @Test func aHelperTheTestsNeverNameIsLinkedWithoutRecompilingThem() async throws {
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        try writeTest(
            "AnswerKata",
            """
            import Kata
            import Testing

            @Suite struct AnswerKata {
                @Test func isFortyTwo() { #expect(answer() == 42, "answer() is \\(answer())") }
                @Test func boxHoldsIt() { #expect(Box().value == 42, "Box().value is \\(Box().value)") }
            }
            """)
        let box = "public struct Box { public var value = 42; public init() {} }\n"
        try await startFromTheSolution("public func answer() -> Int { 42 }\n" + box)
        let compiled = try testsObject()

        let privateHelper = try await save(
            "private func half() -> Int { 21 }\npublic func answer() -> Int { half() * 2 }\n" + box)
        #expect(!privateHelper.swiftPMRan)
        #expect(privateHelper.progress.state(of: "answer") == .done)
        #expect(try testsObject() == compiled, "a private helper: the tests are not recompiled")

        // The new code runs: relinked.
        let helper = try await save(
            "func twice(_ x: Int) -> Int { x * 2 }\npublic func answer() -> Int { twice(20) }\n" + box)
        #expect(!helper.swiftPMRan)
        try expectFailing(helper, saying: "answer() is 40")
        #expect(try testsObject() == compiled, "an internal helper no test names: not recompiled")

        // A stored property before the one the tests read moves it: they must be recompiled.
        let moved = try await save(
            "func twice(_ x: Int) -> Int { x * 2 }\npublic func answer() -> Int { twice(21) }\n"
                + "public struct Box { public var label = \"box\"; public var value = 42; public init() {} }\n"
        )
        #expect(!moved.swiftPMRan)
        #expect(moved.progress.state(of: "answer") == .done)
        let recompiled = try testsObject()
        #expect(recompiled != compiled, "a type the tests use changed: they are recompiled")

        // An import changes what the tests see of other modules: recompiled too.
        let imported = try await save(
            "import Foundation\nfunc twice(_ x: Int) -> Int { x * 2 }\npublic func answer() -> Int { twice(21) }\n"
                + "public struct Box { public var label = \"box\"; public var value = 42; public init() {} }\n"
        )
        #expect(!imported.swiftPMRan)
        #expect(imported.progress.state(of: "answer") == .done)
        #expect(try testsObject() != recompiled, "an import: recompiled")
    }

    /// A save that changes a function one test file calls recompiles that file and no other (the
    /// driver alone would recompile all of them); and a build SwiftPM plans afterwards still
    /// compiles every test against the module it builds.
    @Test func aChangedFunctionRecompilesOnlyTheTestFilesThatSpellIt() async throws {
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        try writeTest(
            "BoxKata",
            """
            import Kata
            import Testing

            extension AnswerKata {
                @Test func boxHoldsIt() { #expect(Box().value == 42, "Box().value is \\(Box().value)") }
            }
            """)
        let box = "public struct Box { public var value = 42; public init() {} }\n"
        try await startFromTheSolution("public func answer() -> Int { 42 }\n" + box)
        let (answerTests, boxTests) = (try testsObject(), try testsObject("BoxKata"))

        // A new parameter with a default: the call `answer()` compiles to another symbol.
        let changed = try await save("public func answer(plus: Int = 0) -> Int { 41 + plus }\n" + box)
        #expect(!changed.swiftPMRan)
        try expectFailing(changed, saying: "answer() is 41")
        #expect(try testsObject() != answerTests, "the test that calls answer is recompiled")
        let boxNow = try testsObject("BoxKata")
        #expect(boxNow == boxTests, "the one that only reads Box is not: \(boxTests) \(boxNow)")

        let fixed = try await save("public func answer(plus: Int = 1) -> Int { 41 + plus }\n" + box)
        #expect(!fixed.swiftPMRan)
        #expect(fixed.progress.state(of: "answer") == .done)

        // `swift test`'s build, of the solutions, whose module looks like the one the driver last
        // read itself: it must not keep the test compiled against `answer(plus:)` (it would not link).
        try await buildDefault(["--build-tests"])
        let back = try await save("public func answer(plus: Int = 2) -> Int { 41 + plus }\n" + box)
        #expect(back.swiftPMRan)
        try expectFailing(back, saying: "answer() is 43")
    }

    /// A save that breaks one of the tests that spell a changed name (the others compile against
    /// it), one that keeps it broken, and the save that undoes it: each recompiles the tests that
    /// spell the name again, without SwiftPM, though the last leaves the name as the tests were
    /// last compiled against.
    @Test func aTestCompileThatFailedIsRedoneOnTheNextSave() async throws {
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        try writeTest(
            "ReferenceKata",
            """
            import Kata
            import Testing

            extension AnswerKata {
                @Test func answersAsAFunction() { let f: () -> Int = answer; #expect(f() == 42) }
            }
            """)
        try writeTest(
            "OtherKata",
            """
            import Testing

            extension AnswerKata {
                @Test func arithmetic() { #expect(1 + 1 == 2) }
            }
            """)
        try await startFromTheSolution("public func answer() -> Int { 42 }\n")
        let other = try testsObject("OtherKata")

        // `answer()` still compiles; a reference to `answer` as a `() -> Int` does not.
        let broken = try await save("public func answer(plus: Int = 0) -> Int { 42 + plus }\n")
        #expect(!broken.swiftPMRan)
        #expect(
            broken.progress.compilerOutput?.contains("ReferenceKata.swift") == true,
            "the test's compile error: \(broken.progress.compilerOutput ?? "none")")
        // A save that leaves the interface as it is (a body changed) still owes that test its
        // compile: it is tried again, and says the same, without SwiftPM.
        let again = try await save("public func answer(plus: Int = 0) -> Int { 40 + 2 + plus }\n")
        #expect(!again.swiftPMRan)
        #expect(
            again.progress.compilerOutput?.contains("ReferenceKata.swift") == true,
            "the test's compile error again: \(again.progress.compilerOutput ?? "none")")
        let undone = try await save("public func answer() -> Int { 40 + 2 }\n")
        #expect(!undone.swiftPMRan, "the tests that spell answer are compiled again by the quick path")
        #expect(undone.progress.state(of: "answer") == .done)
        #expect(try testsObject("OtherKata") == other, "a test that never spells answer is left alone")
    }

    /// Writes the kata test file `name`.swift beside the exercise's own.
    private func writeTest(_ name: String, _ text: String) throws {
        try text.write(
            to: workspace.root.appendingPathComponent("Tests/KataTests/01-q/\(name).swift"), atomically: true,
            encoding: .utf8)
    }

    /// Makes `code` the stub and the reference solution, and the student's first save (with a
    /// comment, so that it is not the untouched stub): built by SwiftPM, and done.
    private func startFromTheSolution(_ code: String, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        for copy in ["Stubs", "Solutions"] {
            try code.write(
                to: workspace.root.appendingPathComponent("Exercises/\(copy)/01-q/Answer.swift"),
                atomically: true, encoding: .utf8)
        }
        let first = try await save(code + "// mine\n")
        #expect(first.swiftPMRan, sourceLocation: sourceLocation)
        #expect(first.progress.state(of: "answer") == .done, sourceLocation: sourceLocation)
    }

    /// The identity of the object file of a kata test file (a recompile writes a new one).
    private func testsObject(_ file: String = "AnswerKata") throws -> String {
        let path = workspace.scratch(for: .student).appendingPathComponent(
            "debug/KataTests.build/\(file).swift.o"
        ).path
        return try #require(FileIdentity.of(path), "no object at \(path)")
    }

    /// Expects the board of `check` to say that the exercise fails, with `message` among what its tests said.
    private func expectFailing(
        _ check: (progress: KataProgress, swiftPMRan: Bool), saying message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let state = check.progress.state(of: "answer")
        guard case .failing(let messages) = state else {
            Issue.record(
                "expected failing with \"\(message)\": \(String(describing: state))",
                sourceLocation: sourceLocation)
            return
        }
        #expect(messages.contains { $0.contains(message) }, sourceLocation: sourceLocation)
    }

    /// `swift build` with `arguments` in the student's build folder, as the README's commands
    /// run it there: the manifest's default mode, which builds the reference solutions.
    private func buildDefault(_ arguments: [String]) async throws {
        let result = try await Fixtures.offThePool {
            try ChildProcess.run(
                "swift",
                ["build"] + arguments + [
                    "--package-path", workspace.root.path, "--scratch-path",
                    workspace.scratch(for: .student).path,
                ])
        }
        #expect(result.ending == .exited(0), "swift build failed: \(result.output)")
    }

    @Test func aLinkThatFailsLeavesNoBinaryToRun() throws {
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let folder = workspace.root.appendingPathComponent("objects")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let binary = workspace.root.appendingPathComponent("binary")
        try Data("half a binary".utf8).write(to: binary)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: binary.path)
        try Data().write(to: folder.appendingPathComponent("Answer.swift.o"))
        let quick = QuickBuild(
            key: "k", compile: ["/bin/true"], link: ["/bin/false"],
            interface: workspace.root.appendingPathComponent("Kata.swiftmodule").path,
            outputFileMap: folder.appendingPathComponent("output-file-map.json").path, objects: folder.path,
            binary: binary.path)
        #expect(try quick.run(cancellation: nil) == .needsFullBuild)
        #expect(!FileManager.default.fileExists(atPath: binary.path))
    }

    @Test func theCommandsAreReadFromTheBuildDescription() throws {
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let scratch = workspace.scratch(for: .student)
        let b = scratch.path
        // The lists the commands read: SwiftPM's own, which planning in another mode rewrites.
        let lists = scratch.appendingPathComponent("debug")
        try FileManager.default.createDirectory(at: lists, withIntermediateDirectories: true)
        try Data("{\"map\": 1}".utf8).write(to: lists.appendingPathComponent("output-file-map.json"))
        try Data(#"{"": {"swift-dependencies": "\#(b)/debug/primary.swiftdeps"}}"#.utf8).write(
            to: lists.appendingPathComponent("tests-output-file-map.json"))
        try Data("/w/Exercises/01-q/Answer.swift\n".utf8).write(to: lists.appendingPathComponent("sources"))
        try Data("/w/.b/Kata.build/Answer.swift.o\n".utf8).write(
            to: lists.appendingPathComponent("Objects.LinkFileList"))
        // The tests' driver: asked for its jobs, it prints one per test file, as swiftc does.
        let driver = scratch.appendingPathComponent("swiftc")
        try """
        #!/bin/sh
        echo "$*" > "$0.arguments"
        echo "/s/swift-frontend -frontend -c -primary-file '/w/Tests/my kata/AKata.swift' /w/BKata.swift -o /w/A.o"
        echo "/s/swift-frontend -frontend -c '/w/Tests/my kata/AKata.swift' -primary-file /w/BKata.swift -o /w/B.o"
        """.write(to: driver, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: driver.path)
        let yaml = """
            client:
              name: basic
            commands:
              "C.Kata-x86_64-unknown-linux-gnu-debug.module":
                tool: shell
                inputs: ["/w/Exercises/01-q/Answer.swift"]
                description: "Compiling Swift Module 'Kata' (1 sources)"
                args: ["/s/swiftc","-module-name","Kata","-emit-module-path","\(b)/debug/Kata.swiftmodule",\
            "-output-file-map","\(b)/debug/output-file-map.json","-parseable-output","@\(b)/debug/sources","-c"]

              "C.KataTests-x86_64-unknown-linux-gnu-debug.module":
                tool: shell
                args: ["\(driver.path)","-module-name","KataTests","-emit-module","-emit-module-path",\
            "\(b)/debug/KataTests.swiftmodule","-output-file-map","\(b)/debug/tests-output-file-map.json",\
            "-parseable-output","-incremental","@\(b)/debug/sources","-enable-batch-mode"]

              "C.NodeNetSwiftPackageTests-x86_64-unknown-linux-gnu-debug.test":
                tool: shell
                args: ["/s/swiftc","-o","\(b)/debug/NodeNetSwiftPackageTests.xctest",\
            "@\(b)/debug/Objects.LinkFileList","-emit-executable"]

            """
        try yaml.write(to: scratch.appendingPathComponent("debug.yaml"), atomically: true, encoding: .utf8)
        let quick = try #require(QuickBuild.fromBuildDescription(in: scratch, key: "k"))
        let copies = "\(b)/kata-quick-build"
        #expect(
            quick.compile == [
                "/s/swiftc", "-module-name", "Kata", "-emit-module-path", "\(b)/debug/Kata.swiftmodule",
                "-output-file-map", "\(copies)/compile-output-file-map.json", "@\(copies)/compile-sources",
                "-c", "-emit-symbol-graph", "-emit-symbol-graph-dir", "\(copies)/symbols",
                "-symbol-graph-minimum-access-level", "private",
            ])
        #expect(
            quick.link == [
                "/s/swiftc", "-o", "\(b)/debug/NodeNetSwiftPackageTests.xctest",
                "@\(copies)/link-Objects.LinkFileList", "-emit-executable",
            ])
        #expect(quick.interface == "\(b)/debug/Kata.swiftmodule")
        #expect(quick.outputFileMap == "\(copies)/compile-output-file-map.json")
        #expect(quick.objects == "\(b)/debug")
        #expect(quick.binary == "\(b)/debug/NodeNetSwiftPackageTests.xctest")
        // The tests' jobs, planned by the driver from SwiftPM's command without what emits the
        // tests' module, batches or the incremental record.
        let asked = try String(contentsOf: driver.appendingPathExtension("arguments"), encoding: .utf8)
        #expect(
            asked == "-module-name KataTests -output-file-map \(b)/debug/tests-output-file-map.json "
                + "@\(b)/debug/sources -driver-print-jobs\n")
        #expect(quick.testJobs?.driverRecord == "\(b)/debug/primary.priors")
        #expect(
            quick.testJobs?.bySource == [
                "/w/Tests/my kata/AKata.swift": [
                    "/s/swift-frontend", "-frontend", "-c", "-primary-file", "/w/Tests/my kata/AKata.swift",
                    "/w/BKata.swift", "-o", "/w/A.o",
                ],
                "/w/BKata.swift": [
                    "/s/swift-frontend", "-frontend", "-c", "/w/Tests/my kata/AKata.swift", "-primary-file",
                    "/w/BKata.swift", "-o", "/w/B.o",
                ],
            ])
        #expect(quick.symbolGraphs == "\(copies)/symbols")
        // The copies hold what the lists held when the commands were read, whatever comes after.
        try Data("/w/Exercises/Solutions/01-q/Answer.swift\n".utf8).write(
            to: lists.appendingPathComponent("sources"))
        #expect(
            try String(contentsOfFile: "\(copies)/compile-sources", encoding: .utf8)
                == "/w/Exercises/01-q/Answer.swift\n")
        #expect(
            try String(contentsOfFile: "\(copies)/link-Objects.LinkFileList", encoding: .utf8)
                == "/w/.b/Kata.build/Answer.swift.o\n")
        // Without one of its commands the description is not the shape expected: no quick builds.
        try yaml.replacingOccurrences(of: "C.Kata-", with: "C.Other-").write(
            to: scratch.appendingPathComponent("debug.yaml"), atomically: true, encoding: .utf8)
        #expect(QuickBuild.fromBuildDescription(in: scratch, key: "k") == nil)
    }
}
