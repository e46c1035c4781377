import Foundation

/// A wrong solution kept to prove that an exercise's tests reject it:
/// `Exercises/Mutants/<chapter>/<exercise>/<what-is-wrong>.patch`, whose first line is
/// `Mutant: <what is wrong, one sentence>`, followed by a unified diff (`diff -u`) against the
/// exercise's solution. A diff shows the mistake at a glance, and one that no longer fits its
/// solution is refused instead of testing an old copy.
public struct Mutant: Sendable, Equatable {
    /// The chapter's folder: `01-tcp`.
    public let folder: String
    /// The exercise's name: `line-splitter`.
    public let exercise: String
    /// The file, relative to the workspace's root.
    public let path: String
    /// What is wrong with it, from its first line.
    public let description: String

    /// A mutant of `exercise` in `folder`, kept at `path`, wrong as `description` says.
    public init(folder: String, exercise: String, path: String, description: String) {
        self.folder = folder
        self.exercise = exercise
        self.path = path
        self.description = description
    }
}

/// One build of `kata verify`'s mutant rounds: at most one mutant per exercise, swapped in for
/// that exercise's solution; every other exercise keeps its solution.
public struct MutantRound: Sendable, Equatable {
    /// 1 for the first round.
    public let number: Int
    /// The mutants swapped in, in manifest order.
    public let mutants: [Mutant]

    /// Round `number`, swapping in `mutants`.
    public init(number: Int, mutants: [Mutant]) {
        self.number = number
        self.mutants = mutants
    }

    /// Each exercise's mutants go to the first rounds free for them, in file-name order: a round
    /// holds at most one mutant per exercise, and never mutants of two exercises where one uses
    /// the other (a broken `mask` fails `frame-decoder`'s tests too, so a frame-decoder mutant
    /// beside it would be "rejected" whatever it does). Every mutant is in exactly one round.
    public static func plan(_ mutants: [Mutant], manifest: KataManifest) -> [MutantRound] {
        func uses(_ name: String) -> Set<String> {
            var found: Set<String> = []
            var pending = manifest.find(name)?.exercise.uses ?? []
            while let next = pending.popLast() {
                guard found.insert(next).inserted else { continue }
                pending += manifest.find(next)?.exercise.uses ?? []
            }
            return found
        }
        func related(_ a: String, _ b: String) -> Bool {
            a == b || uses(a).contains(b) || uses(b).contains(a)
        }
        var rounds: [[Mutant]] = []
        for (_, exercise) in manifest.all {
            for mutant in mutants.filter({ $0.exercise == exercise.name }).sorted(by: { $0.path < $1.path }) {
                let free = rounds.firstIndex { round in
                    !round.contains { related($0.exercise, exercise.name) }
                }
                if let free { rounds[free].append(mutant) } else { rounds.append([mutant]) }
            }
        }
        return rounds.enumerated().map { MutantRound(number: $0.offset + 1, mutants: $0.element) }
    }
}

extension Workspace {
    /// The mutants under `Exercises/Mutants`, and what is wrong with the way any is kept.
    public func mutants(of manifest: KataManifest) -> (mutants: [Mutant], problems: [String]) {
        let files = FileManager.default
        let base = root.appendingPathComponent("Exercises/Mutants")
        var mutants: [Mutant] = []
        var problems: [String] = []
        func contents(_ url: URL) -> [String] {
            ((try? files.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
        }
        for folder in contents(base) where !folder.hasPrefix(".") {
            for name in contents(base.appendingPathComponent(folder)) where !name.hasPrefix(".") {
                let here = "Exercises/Mutants/\(folder)/\(name)"
                guard let found = manifest.find(name), found.folder == folder else {
                    problems.append("\(here) is no exercise of kata.json's chapter \(folder)")
                    continue
                }
                for file in contents(base.appendingPathComponent("\(folder)/\(name)"))
                where !file.hasPrefix(".") {
                    let path = "\(here)/\(file)"
                    let text =
                        (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? ""
                    let first = text.prefix { !$0.isNewline }
                    guard file.hasSuffix(".patch"), let match = first.firstMatch(of: /^Mutant: (.+)$/) else {
                        problems.append(
                            "\(path) is not a mutant: a .patch file whose first line is `Mutant: <what is wrong>`"
                        )
                        continue
                    }
                    do {
                        _ = try mutatedSolution(path, of: found.exercise, in: folder)
                    } catch {
                        problems.append("\(path) does not apply to its solution: \(error)")
                        continue
                    }
                    mutants.append(
                        Mutant(folder: folder, exercise: name, path: path, description: String(match.1)))
                }
            }
        }
        return (mutants, problems)
    }

    /// Lays out `round` in `folder` (relative to the root): every solution, with the round's
    /// mutants in their exercises' places. Files whose contents are already right are left alone,
    /// so the build recompiles only what the round changed.
    public func layOut(_ round: MutantRound, manifest: KataManifest, in folder: String) throws {
        let files = FileManager.default
        let base = root.appendingPathComponent(folder)
        var wanted: Set<String> = []
        for (chapter, exercise) in manifest.all {
            let target = base.appendingPathComponent("\(chapter)/\(exercise.file)")
            wanted.insert(target.path)
            let data =
                if let mutant = round.mutants.first(where: { $0.exercise == exercise.name }) {
                    Data(try mutatedSolution(mutant.path, of: exercise, in: chapter).utf8)
                } else {
                    try Data(
                        contentsOf: root.appendingPathComponent(
                            path(of: exercise, in: chapter, copy: .solutions)))
                }
            if (try? Data(contentsOf: target)) != data {
                try files.createDirectory(
                    at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: target)
            }
        }
        let walker = files.enumerator(at: base, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            if url.pathExtension == "swift" && !wanted.contains(url.path) { try files.removeItem(at: url) }
        }
    }

    /// The solution of `exercise` with the mutant at `patch` (relative to the root) applied.
    public func mutatedSolution(_ patch: String, of exercise: KataManifest.Exercise, in folder: String) throws
        -> String
    {
        let diff = try UnifiedDiff(String(contentsOf: root.appendingPathComponent(patch), encoding: .utf8))
        let solution = try String(
            contentsOf: root.appendingPathComponent(path(of: exercise, in: folder, copy: .solutions)),
            encoding: .utf8)
        return try diff.applied(to: solution)
    }
}
