import Foundation

/// Recompiles only the kata test files that spell a name of the student's module that changed.
///
/// The Swift driver tracks another module's top-level names as one unit: when a save changes
/// one function a test calls, it sees the module's interface newer than its last build and
/// recompiles all 36 test files (11 to 14 s on a 2-core laptop), though 35 of them compile to
/// the same objects. It does always make an object that is missing, and it trusts a module that
/// is older than its last build. So this removes the objects of the files that may compile
/// differently, and dates the module's interface back: the driver then recompiles just those.
///
/// The driver's record of that build (its priors) then holds a module it never read, and a
/// build it plans by itself could trust it: `swift test` compiling against the reference
/// solutions, or the next full kata build. So the record is kept aside between these compiles
/// (``park()``): without one, the driver compiles every test file, which is right whatever the
/// module is. The next of these compiles takes it back; a full build drops it
/// (``dropParkedRecord(in:)``), since it made a new one.
struct TestsRecompile: Sendable {
    /// The tests' compile's map from each source file to its outputs.
    var outputFileMap: String
    /// The module interface the tests import.
    var moduleInterface: String
    /// The folder where the record is kept aside.
    var folder: URL

    /// The date the interface is given: long before any build, and not the Unix epoch, which some
    /// build systems read as "no such file".
    static let longAgo = Date(timeIntervalSinceReferenceDate: 0)

    /// Prepares the tests' compile to recompile `files` (test sources) and no other.
    func prepare(toRecompile files: [URL]) {
        let (objects, record) = outputs()
        if let record, FileManager.default.fileExists(atPath: parked.path) {
            try? FileManager.default.removeItem(atPath: record)
            try? FileManager.default.moveItem(atPath: parked.path, toPath: record)
        }
        for file in files {
            if let object = objects[file.path] { try? FileManager.default.removeItem(atPath: object) }
        }
        try? FileManager.default.setAttributes(
            [.modificationDate: Self.longAgo], ofItemAtPath: moduleInterface)
    }

    /// After the compile, however it ended: keeps the driver's record aside.
    func park() {
        guard let record = outputs().record else { return }
        try? FileManager.default.removeItem(at: parked)
        try? FileManager.default.moveItem(atPath: record, toPath: parked.path)
    }

    /// Before a full build, which compiles the tests without a record and writes a new one: drops
    /// the one kept aside in `folder`.
    static func dropParkedRecord(in folder: URL) {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(parkedName))
    }

    private static let parkedName = "tests-priors-parked"

    private var parked: URL { folder.appendingPathComponent(Self.parkedName) }

    /// The object file of each test source, and the driver's record (its priors).
    private func outputs() -> (objects: [String: String], record: String?) {
        guard let data = FileManager.default.contents(atPath: outputFileMap),
            let map = try? JSONDecoder().decode([String: [String: String]].self, from: data)
        else { return ([:], nil) }
        var objects: [String: String] = [:]
        for (source, outputs) in map where !source.isEmpty {
            objects[source] = outputs["object"]
        }
        let record = map[""]?["swift-dependencies"].map {
            URL(fileURLWithPath: $0).deletingPathExtension().appendingPathExtension("priors").path
        }
        return (objects, record)
    }
}
