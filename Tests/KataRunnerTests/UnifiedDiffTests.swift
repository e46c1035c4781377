import KataRunner
import Testing

/// Mutants are kept as unified diffs against their solutions: applied exactly where they say,
/// or refused.
@Suite struct UnifiedDiffTests {
    let text = "one\ntwo\nthree\nfour\nfive\n"

    @Test func aHunkReplacesRemovesAndAddsLinesWhereItSays() throws {
        let diff = try UnifiedDiff(
            """
            Mutant: an example
            --- a/x.swift
            +++ b/x.swift
            @@ -2,3 +2,3 @@
             two
            -three
            +THREE
             four
            @@ -5,0 +6,1 @@
            +six

            """)
        #expect(try diff.applied(to: text) == "one\ntwo\nTHREE\nfour\nfive\nsix\n")
    }

    @Test func aDiffMadeAgainstAnotherTextIsRefused() throws {
        let diff = try UnifiedDiff("@@ -3,1 +3,1 @@\n-two\n+TWO\n")
        #expect(throws: UnifiedDiff.Problem.self) { try diff.applied(to: text) }
        #expect(throws: UnifiedDiff.Problem.self) { try UnifiedDiff("Mutant: no hunk at all\n") }
    }

    /// Every mutant the workspace keeps applies to its solution and changes it.
    @Test func theWorkspacesMutantsApplyToTheirSolutions() throws {
        let manifest = try KataManifest.load(from: Fixtures.workspace.root)
        let (mutants, problems) = Fixtures.workspace.mutants(of: manifest)
        #expect(problems == [] && mutants.count > 36)
        for mutant in mutants {
            let (folder, exercise) = try #require(manifest.find(mutant.exercise))
            let mutated = try Fixtures.workspace.mutatedSolution(mutant.path, of: exercise, in: folder)
            let solution = try String(
                contentsOf: Fixtures.workspace.root.appendingPathComponent(
                    Fixtures.workspace.path(of: exercise, in: folder, copy: .solutions)),
                encoding: .utf8)
            #expect(mutated != solution, "\(mutant.path) changes nothing")
        }
    }
}
