import Foundation
import KataRunner
import Testing

/// `kata verify`'s mutants: how they are found, planned into rounds and laid out.
@Suite struct MutantRoundTests {
    let manifest: KataManifest

    init() throws {
        manifest = try KataManifest.load(from: Fixtures.workspace.root)
    }

    private func mutant(_ exercise: String, _ file: String) throws -> Mutant {
        let folder = try #require(manifest.find(exercise)).folder
        return Mutant(
            folder: folder, exercise: exercise, path: "Exercises/Mutants/\(folder)/\(exercise)/\(file)",
            description: file)
    }

    @Test func roundRTakesEachExercisesRthMutantSoEveryMutantIsInExactlyOneRound() throws {
        let mutants = [
            try mutant("pump", "b.patch"), try mutant("line-splitter", "z.patch"),
            try mutant("pump", "a.patch"),
            try mutant("pump", "c.patch"), try mutant("mask", "x.patch"),
        ]
        let rounds = MutantRound.plan(mutants, manifest: manifest)
        #expect(rounds.map(\.number) == [1, 2, 3], "as many rounds as the most mutants of one exercise")
        #expect(
            rounds[0].mutants.map(\.path) == [
                "Exercises/Mutants/01-tcp/line-splitter/z.patch", "Exercises/Mutants/01-tcp/pump/a.patch",
                "Exercises/Mutants/04-websocket/mask/x.patch",
            ], "manifest order, each exercise's first mutant by name")
        #expect(rounds[1].mutants.map(\.path) == ["Exercises/Mutants/01-tcp/pump/b.patch"])
        #expect(rounds[2].mutants.map(\.path) == ["Exercises/Mutants/01-tcp/pump/c.patch"])
        let planned = rounds.flatMap(\.mutants)
        #expect(planned.count == mutants.count && Set(planned.map(\.path)) == Set(mutants.map(\.path)))
        #expect(MutantRound.plan([], manifest: manifest).isEmpty)
    }

    /// frame-decoder's solution calls mask's function: a mask mutant fails frame-decoder's tests
    /// too, so the two never share a round, nor does message-assembler, which uses frame-decoder.
    @Test func mutantsOfExercisesThatUseEachOtherNeverShareARound() throws {
        let rounds = MutantRound.plan(
            [
                try mutant("mask", "m.patch"), try mutant("frame-decoder", "f.patch"),
                try mutant("message-assembler", "a.patch"), try mutant("pump", "p.patch"),
            ], manifest: manifest)
        #expect(
            rounds.map { $0.mutants.map(\.exercise) } == [
                ["pump", "mask"], ["frame-decoder"], ["message-assembler"],
            ])
    }

    @Test func theWorkspacesOwnMutantsAreFoundWithWhatIsWrongWithThem() throws {
        let (mutants, problems) = Fixtures.workspace.mutants(of: manifest)
        #expect(problems == [])
        let sample = try #require(
            mutants.first { $0.path.hasSuffix("line-splitter/keeps-carriage-return.patch") })
        #expect(sample.exercise == "line-splitter" && sample.folder == "01-tcp")
        #expect(sample.description.contains("\\r"))
    }

    @Test func aMisplacedOrUnlabelledMutantIsAProblem() throws {
        let scratch = try Fixtures.scratchWorkspace(manifest)
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let base = scratch.root.appendingPathComponent("Exercises/Mutants")
        for folder in ["02-udp/line-splitter", "01-tcp/pump"] {
            try FileManager.default.createDirectory(
                at: base.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "import NodeNet\n".write(
            to: base.appendingPathComponent("01-tcp/pump/no-label.swift"), atomically: true, encoding: .utf8)
        // A diff made against another version of the solution: its hunk finds other lines.
        try "Mutant: stale\n--- a/Pump.swift\n+++ b/Pump.swift\n@@ -1,1 +1,1 @@\n-no such line\n+x\n".write(
            to: base.appendingPathComponent("01-tcp/pump/stale.patch"), atomically: true, encoding: .utf8)
        let problems = scratch.mutants(of: manifest).problems
        #expect(
            problems == [
                "Exercises/Mutants/01-tcp/pump/no-label.swift is not a mutant: a .patch file whose first line is `Mutant: <what is wrong>`",
                "Exercises/Mutants/01-tcp/pump/stale.patch does not apply to its solution: the hunk at line 1 does not match the text there: was the file changed?",
                "Exercises/Mutants/02-udp/line-splitter is no exercise of kata.json's chapter 02-udp",
            ])
    }

    @Test func aRoundIsLaidOutAsTheSolutionsWithItsMutantsSwappedIn() throws {
        let scratch = try Fixtures.scratchWorkspace(manifest)
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let round = try #require(
            MutantRound.plan(scratch.mutants(of: manifest).mutants, manifest: manifest).first)
        try scratch.layOut(round, manifest: manifest, in: "round")
        for (folder, exercise) in manifest.all {
            let laidOut = try Data(
                contentsOf: scratch.root.appendingPathComponent("round/\(folder)/\(exercise.file)"))
            let expected =
                if let mutant = round.mutants.first(where: { $0.exercise == exercise.name }) {
                    Data(try scratch.mutatedSolution(mutant.path, of: exercise, in: folder).utf8)
                } else {
                    try Data(
                        contentsOf: scratch.root.appendingPathComponent(
                            scratch.path(of: exercise, in: folder, copy: .solutions)))
                }
            #expect(laidOut == expected, "\(exercise.name)")
        }
        // A stray file from an earlier layout goes, so the next round compiles only what it names.
        let stray = scratch.root.appendingPathComponent("round/01-tcp/Stray.swift")
        try "let stray = 1\n".write(to: stray, atomically: true, encoding: .utf8)
        try scratch.layOut(MutantRound(number: 2, mutants: []), manifest: manifest, in: "round")
        #expect(!FileManager.default.fileExists(atPath: stray.path))
    }

    @Test func aSurvivingMutantIsReportedByPathAndDescription() throws {
        let verifier = Verifier(workspace: Fixtures.workspace, manifest: manifest)
        let splitter = try mutant("line-splitter", "keeps-carriage-return.patch")
        let round = MutantRound(number: 1, mutants: [splitter])
        let solved = KataProgress(manifest: manifest, output: try Fixtures.text("solved"))
        #expect(
            verifier.mutantProblems(round, result: solved) == [
                "Exercises/Mutants/01-tcp/line-splitter/keeps-carriage-return.patch survives: its tests pass on it (keeps-carriage-return.patch)"
            ])
        let unsolved = KataProgress(manifest: manifest, output: try Fixtures.text("unsolved"))
        #expect(verifier.mutantProblems(round, result: unsolved) == [])
    }
}
