import Foundation

extension Workspace {
    /// Puts `exercise`'s file back as its stub. The student's version is moved first to
    /// `Exercises/.saved/<file>.<time>.saved` (not a `.swift` name, so it is never compiled);
    /// returns that path, relative to the root, or nil if there was no file to keep.
    public func reset(_ exercise: KataManifest.Exercise, in folder: String, at time: Date = Date()) throws
        -> String?
    {
        let files = FileManager.default
        let mine = root.appendingPathComponent(path(of: exercise, in: folder, copy: .student))
        let stub = root.appendingPathComponent(path(of: exercise, in: folder, copy: .stubs))
        var kept: String?
        if files.fileExists(atPath: mine.path) {
            let saved = root.appendingPathComponent("Exercises/.saved")
            try files.createDirectory(at: saved, withIntermediateDirectories: true)
            let stamp = ISO8601DateFormatter().string(from: time).replacingOccurrences(of: ":", with: "-")
            var name = "\(exercise.file).\(stamp).saved"
            var copy = 1
            while files.fileExists(atPath: saved.appendingPathComponent(name).path) {
                copy += 1
                name = "\(exercise.file).\(stamp)-\(copy).saved"
            }
            try files.moveItem(at: mine, to: saved.appendingPathComponent(name))
            kept = "Exercises/.saved/\(name)"
        }
        try files.copyItem(at: stub, to: mine)
        return kept
    }
}
