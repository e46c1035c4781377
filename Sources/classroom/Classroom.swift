import ArgumentParser
import ClassroomServer
import ClassroomWire
import Foundation
import KataRunner
import NodeNet

/// `swift run classroom` (or `swift run kata classroom`): the teacher's live board of the class.
@main struct Classroom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classroom",
        abstract: "The teacher's live board of the class's kata, over HTTPS on the LAN.",
        subcommands: [Serve.self, Export.self],
        defaultSubcommand: Serve.self
    )
}

/// The folder option both commands share.
struct ClassFolder: ParsableArguments {
    @Option(help: "Where the class lives: class.sqlite and its keys.") var folder = "classroom"

    var url: URL { URL(fileURLWithPath: folder) }

    /// The exercises of this workspace's `Exercises/kata.json`, in order.
    func exercises() throws -> [String] {
        try KataManifest.load(from: Workspace.find().root).all.map(\.exercise.name)
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Starts the server: prints the join command, the join code, the CA fingerprint and the board's address."
    )
    @Option(help: "The TCP port (0 picks a free one).") var port = 8443
    @Option(help: "The address to listen on (every interface by default).") var host: String?
    @Option(help: "The join code (by default the class's own, made at random the first time).") var code:
        String?
    @OptionGroup var folder: ClassFolder

    func run() throws {
        var options = ClassroomOptions(
            folder: folder.url, exercises: try folder.exercises(), port: port, host: host)
        options.joinCode = code
        Node.run {
            do {
                let server = try await ClassroomServer.start(options)
                print(server.banner())
            } catch {
                print("classroom: could not start: \(error)")
                process.exitCode = 1
            }
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Writes the class as CSV for grading (one line per student and exercise); the server may be running."
    )
    @Option(help: "The CSV file to write (standard output if not given).") var out: String?
    @OptionGroup var folder: ClassFolder

    func run() throws {
        let path = folder.url.appendingPathComponent("class.sqlite").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no class at \(path): start `swift run kata classroom` first")
        }
        let stored = try ClassStore(path: path).load()
        let board = ClassBoard(exercises: try folder.exercises(), students: stored.students.map(\.row))
        let text = ClassCSV.text(of: board)
        if let out {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out))
            print("wrote \(stored.students.count) students to \(out)")
        } else {
            print(text, terminator: "")
        }
    }
}
