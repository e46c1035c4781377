import Foundation

/// The committed seed inputs of a target: the files in `Tests/FuzzCorpus/<target>/`.
public enum Corpus {
    /// `Tests/FuzzCorpus` of this checkout (found from this file's own path, as the tests and
    /// `swift run fuzz` both run from a checkout).
    public static var defaultRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Tests/FuzzCorpus")
    }

    /// The files of `folder`, by name, in name order (so the seed list is the same everywhere).
    public static func files(in folder: URL) throws -> [(name: String, bytes: [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { !$0.hasPrefix(".") }
            .sorted()
        return try names.map { name in
            (name, Array(try Data(contentsOf: folder.appendingPathComponent(name))))
        }
    }
}
