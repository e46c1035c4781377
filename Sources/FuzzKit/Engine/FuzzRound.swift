import Foundation
import NodeNet

/// Runs a stretch of a fuzz run in this process: inputs `from ..< from + count` of a seed, or
/// fewer if time runs out. A crash ends the process, which is why `fuzz` runs each round in a
/// worker process; the tests run a short round right here.
@NodeActor public struct FuzzRound {
    /// The target the inputs go to.
    public let target: any FuzzTarget
    /// Where the inputs come from.
    public let mutator: Mutator
    /// The run's seed.
    public let seed: UInt64

    /// A round for `target`, with the mutator made from the corpus in `corpus` (the target's
    /// folder under ``Corpus/defaultRoot`` when nil).
    public init(target: any FuzzTarget, seed: UInt64, corpus: URL? = nil) throws {
        self.target = target
        self.seed = seed
        let folder = corpus ?? Corpus.defaultRoot.appendingPathComponent(target.name)
        mutator = Mutator(
            seeds: target.seeds(from: try Corpus.files(in: folder)), dictionary: target.dictionary,
            maxLength: target.maxLength, structured: target.structuredMutation)
    }

    /// Runs the inputs; `beforeEach` is told each input's number before it runs (the worker
    /// writes it down, so that the parent knows which input a crash happened on).
    public func run(
        from: UInt64, count: Int, until deadline: ContinuousClock.Instant? = nil,
        beforeEach: (UInt64) -> Void = { _ in }
    ) async -> RoundResult {
        var result = RoundResult()
        for index in from..<(from + UInt64(count)) {
            if let deadline, ContinuousClock.now >= deadline { break }
            beforeEach(index)
            let verdict = await target.run(mutator.input(index, seed: seed))
            result.tried += 1
            result.outcomes[verdict.outcome, default: 0] += 1
            if let violation = verdict.violation { result.violations.append((index, violation)) }
        }
        return result
    }
}

/// What a round did: how many inputs it ran, how often each outcome came, what broke.
public struct RoundResult: Sendable {
    /// Inputs run.
    public var tried = 0
    /// How many inputs ended in each outcome.
    public var outcomes: [String: Int] = [:]
    /// Inputs after which an invariant did not hold: the input's number and what was wrong.
    public var violations: [(index: UInt64, message: String)] = []

    /// An empty result.
    public init() {}
}
