import NodeNet

/// One thing to fuzz: the code path an input is fed to, and what must hold afterwards.
///
/// A crash (a trap) is found by the process dying; ``Verdict/violation`` reports what the
/// target checked and found wrong without dying (a malformed answer, a status Node never sends).
@NodeActor public protocol FuzzTarget: AnyObject {
    /// The name on the command line, and the corpus folder's name.
    var name: String { get }
    /// One line for `fuzz --list`.
    var summary: String { get }
    /// Inputs are cut to this many bytes.
    var maxLength: Int { get }
    /// Tokens of the format, for the mutator.
    var dictionary: [String] { get }
    /// The target's own mutation, which knows the format (none by default).
    var structuredMutation: StructuredMutation? { get }
    /// The mutator's seeds from the corpus files (by default the files' bytes as they are).
    func seeds(from files: [(name: String, bytes: [UInt8])]) -> [[UInt8]]
    /// Feeds `input` to the code under test and checks the result.
    func run(_ input: [UInt8]) async -> Verdict
}

extension FuzzTarget {
    /// None: byte mutations only.
    public var structuredMutation: StructuredMutation? { nil }

    /// The files' bytes, as they are.
    public func seeds(from files: [(name: String, bytes: [UInt8])]) -> [[UInt8]] {
        files.map(\.bytes)
    }
}

/// What one input did.
public struct Verdict: Sendable, Equatable {
    /// A short description of the behaviour (the statuses answered, the close code sent); the
    /// number of distinct outcomes says how many different paths a run reached.
    public var outcome: String
    /// What went wrong, if an invariant did not hold.
    public var violation: String?

    /// An outcome, and a violation if there was one.
    public init(outcome: String, violation: String? = nil) {
        self.outcome = outcome
        self.violation = violation
    }
}
