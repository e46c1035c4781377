import Foundation

/// `Exercises/kata.json`: the one list of chapters and exercises, in the order they are done.
public struct KataManifest: Decodable, Sendable {
    /// The chapters, in book order.
    public let chapters: [Chapter]

    /// One chapter's exercises, kept in `Exercises/<folder>/`.
    public struct Chapter: Decodable, Sendable {
        /// The folder name, the same as the chapter's: `01-tcp`.
        public let folder: String
        /// The title the board shows.
        public let title: String
        /// The exercises, easiest first.
        public let exercises: [Exercise]
    }

    /// One exercise: a file the student edits and a test suite that says when it is done.
    public struct Exercise: Decodable, Sendable, Equatable {
        /// The name used on the command line: `kata run line-splitter`.
        public let name: String
        /// The file, inside the chapter's folder.
        public let file: String
        /// The Swift Testing suite (a type in `Tests/KataTests/<folder>/<suite>.swift`).
        public let suite: String
        /// Other exercises whose code this one's solution calls (`frame-decoder` unmasks with
        /// `mask`'s function): its verdict depends on their files too. None when absent.
        public let uses: [String]?
        /// The book section it practises: `§1.3`.
        public let section: String
        /// What it practises, in a line.
        public let practises: String
        /// The hint `kata hint` shows.
        public let hint: String
    }

    /// Reads the manifest of the workspace at `root`.
    public static func load(from root: URL) throws -> KataManifest {
        let url = root.appendingPathComponent("Exercises/kata.json")
        return try JSONDecoder().decode(KataManifest.self, from: Data(contentsOf: url))
    }

    /// Every exercise with its chapter's folder, in order.
    public var all: [(folder: String, exercise: Exercise)] {
        chapters.flatMap { chapter in chapter.exercises.map { (chapter.folder, $0) } }
    }

    /// The exercise called `name`, with its chapter's folder.
    public func find(_ name: String) -> (folder: String, exercise: Exercise)? {
        all.first { $0.exercise.name == name }
    }
}
