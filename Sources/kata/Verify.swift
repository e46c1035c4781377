import ArgumentParser
import KataRunner

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "For maintainers and CI: manifest and files agree; tests pass on solutions, fail on stubs and mutants."
    )

    func run() throws {
        let context = try Context()
        let workspace = context.workspace
        let verifier = Verifier(workspace: workspace, manifest: context.manifest)
        let (mutants, mutantFiles) = workspace.mutants(of: context.manifest)
        var problems = verifier.fileProblems() + verifier.unpristineStudentFiles() + mutantFiles
        say("Testing the untouched stubs…")
        let stubs = try verifier.run(.stubs)
        // The solutions are laid out where the mutant rounds will be, so that each round
        // recompiles only the files it swaps.
        say("Testing the reference solutions…")
        try workspace.layOut(
            MutantRound(number: 0, mutants: []), manifest: context.manifest, in: Verifier.roundFolder)
        var solutions = try verifier.run(.solutions, round: Verifier.roundFolder)
        // A suite whose process crashed on its solution runs once more. A crash that does not
        // come back is printed for the maintainers (it may be a rare bug in the runtime), but is
        // not counted against the exercise, whose tests did pass.
        let crashed = solutions.entries.indices.filter {
            if case .crashed = solutions.entries[$0].state { true } else { false }
        }
        if !crashed.isEmpty {
            let suites = Set(crashed.map { solutions.entries[$0].exercise.suite })
            let again = try verifier.run(.solutions, round: Verifier.roundFolder, suites: suites)
            for index in crashed where again.entries[index].state == .done {
                let entry = solutions.entries[index]
                say(
                    "warning: \(entry.exercise.name): its test process crashed once on the reference solution "
                        + "(\(entry.state)), and passed when run again")
                solutions.entries[index].state = .done
            }
        }
        problems += verifier.testProblems(solutions: solutions, stubs: stubs)
        let rounds = MutantRound.plan(mutants, manifest: context.manifest)
        for round in rounds {
            say(
                "Testing the mutants, round \(round.number) of \(rounds.count) (\(round.mutants.count) swapped in)…"
            )
            try workspace.layOut(round, manifest: context.manifest, in: Verifier.roundFolder)
            let suites = Set(round.mutants.compactMap { context.manifest.find($0.exercise)?.exercise.suite })
            let result = try verifier.run(.solutions, round: Verifier.roundFolder, suites: suites)
            problems += verifier.mutantProblems(round, result: result)
        }
        guard problems.isEmpty else {
            say("kata verify found problems:\n" + problems.map { "  - " + $0 }.joined(separator: "\n"))
            throw ExitCode(1)
        }
        say(
            "kata verify: \(context.manifest.all.count) exercises; each passes on its solution and fails on its stub; "
                + "\(mutants.count) mutants, each rejected by its tests."
        )
    }
}
