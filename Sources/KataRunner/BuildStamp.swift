import Foundation

/// What the last build of the student's copy was made from and what it left behind, kept in
/// `kata-build-stamp.json` beside it. The kata build shares `.build/` with `swift build` and
/// `swift test`, which make the reference solutions' `Kata` module and the whole package's test
/// binary in the very same places; so a check trusts a build only while its outputs are the
/// files it left, and rebuilds the student's copy when anything else was built there since.
struct BuildStamp: Codable, Sendable, Equatable {
    /// The hash of every file the build read (see ``Checker``).
    var files: String
    /// Identities of the test binary and, when quick builds are possible, of the module's
    /// interface (``outputs(binary:quick:)``).
    var outputs: [String]

    /// The identities of what a build of the student's copy leaves: the test binary (`swift test`
    /// links another), and the module's interface (`swift build` compiles the solutions' module,
    /// whose interface differs).
    static func outputs(binary: String, quick: QuickBuild?) -> [String] {
        ([binary] + (quick.map { [$0.interface] } ?? [])).map {
            FileIdentity.of($0) ?? "missing"
        }
    }

    /// The stamp kept in `file`, if any.
    static func read(from file: URL) -> BuildStamp? {
        (try? Data(contentsOf: file)).flatMap { try? JSONDecoder().decode(BuildStamp.self, from: $0) }
    }

    /// Keeps the stamp in `file`.
    func write(to file: URL) {
        try? JSONEncoder().encode(self).write(to: file, options: .atomic)
    }
}

/// A file's identity as a build leaves it: its inode, size and modification time. A rebuild that
/// writes the file changes at least one (a linker writes a new file; the compiler rewrites a
/// module's interface only when it changed).
enum FileIdentity {
    /// The identity of the file at `path`; nil if there is none.
    static func of(_ path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let inode = attributes[.systemFileNumber] as? Int ?? -1
        let size = attributes[.size] as? Int ?? -1
        let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        return "\(inode) \(size) \(time)"
    }
}
