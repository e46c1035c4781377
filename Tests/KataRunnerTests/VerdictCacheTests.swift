import Foundation
import KataRunner
import Testing

/// What the student loop skips: a file still its stub, and an exercise whose inputs are unchanged.
@Suite struct VerdictCacheTests {
    let manifest: KataManifest

    init() throws {
        manifest = try KataManifest.load(from: Fixtures.workspace.root)
    }

    @Test func theHashTellsContentsAndTheirSplitApart() {
        func hash(_ parts: [String]) -> String {
            var hash = ContentHash()
            for part in parts { hash.add(Array(part.utf8)) }
            return hash.hex
        }
        #expect(hash(["ab", "c"]) != hash(["a", "bc"]))
        #expect(hash(["ab", "c"]) == hash(["ab", "c"]))
        #expect(hash(["ab"]).count == 16)
    }

    @Test func aVerdictIsKeptUnderItsKeyOnlyAndSurvivesARestart() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("verdicts-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        var cache = VerdictCache(file: file)
        cache.remember(.failing(["one"]), of: "pump", key: "k1")
        cache.remember(.notStarted, of: "mask", key: "k2")
        cache.remember(.stuck(test: nil, why: "slow"), of: "frame-decoder", key: "k3")
        let reread = VerdictCache(file: file)
        #expect(reread.state(of: "pump", key: "k1") == .failing(["one"]))
        #expect(reread.state(of: "pump", key: "k0") == nil, "another key: the file or its tests changed")
        #expect(reread.state(of: "mask", key: "k2") == nil, "not started is no verdict of a run")
        #expect(reread.state(of: "frame-decoder", key: "k3") == nil, "a stopped run is tried again")
    }

    @Test func anUntouchedFileIsNotStartedAndAnEditedOneIsKeyedByItsContents() throws {
        let scratch = try Fixtures.scratchWorkspace(manifest)
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let checker = Checker(workspace: scratch, manifest: manifest)
        let before = checker.known()
        #expect(before.progress.entries.allSatisfy { $0.state == .notStarted })
        #expect(before.keys.isEmpty)
        let (folder, exercise) = try #require(manifest.find("pump"))
        let file = scratch.root.appendingPathComponent(scratch.path(of: exercise, in: folder, copy: .student))
        try (try Data(contentsOf: file) + Data("// my work\n".utf8)).write(to: file)
        let edited = checker.known()
        #expect(edited.progress.state(of: "pump") == .unknown, "edited and never run")
        let key = try #require(edited.keys["pump"])
        #expect(checker.known().keys["pump"] == key, "the same contents, the same key")
        let test = scratch.root.appendingPathComponent(scratch.testPath(of: exercise, in: folder))
        try (try Data(contentsOf: test) + Data("// a changed test\n".utf8)).write(to: test)
        #expect(checker.known().keys["pump"] != key, "its test file is part of the key")
    }

    /// frame-decoder's solution unmasks with mask's function, and message-assembler reads
    /// frame-decoder's frames: a change to a file an exercise uses changes its key, and nobody
    /// else's.
    @Test func theKeyHoldsTheFilesOfTheExercisesItUses() throws {
        let scratch = try Fixtures.scratchWorkspace(manifest)
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let checker = Checker(workspace: scratch, manifest: manifest)
        func edit(_ name: String) throws {
            let (folder, exercise) = try #require(manifest.find(name))
            let file = scratch.root.appendingPathComponent(
                scratch.path(of: exercise, in: folder, copy: .student))
            try (try Data(contentsOf: file) + Data("// my work\n".utf8)).write(to: file)
        }
        for name in ["frame-decoder", "message-assembler", "pump"] { try edit(name) }
        let before = checker.known().keys
        try edit("mask")
        let after = checker.known().keys
        #expect(after["frame-decoder"] != before["frame-decoder"], "frame-decoder uses mask")
        #expect(
            after["message-assembler"] != before["message-assembler"], "and message-assembler frame-decoder")
        #expect(after["pump"] == before["pump"], "pump uses nothing of mask's")
    }
}
