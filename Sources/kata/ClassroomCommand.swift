import ArgumentParser
import Foundation
import KataRunner

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `kata classroom [export] …`: the teacher's server. It is its own product (`classroom`, built on
/// NodeNet and SQLite), so that `kata`'s own first build stays small: this builds it, showing the
/// build's progress, then becomes it (`exec`), so its arguments, output and signals are its own.
struct ClassroomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classroom",
        abstract: "For the teacher: a live board of the class's kata, served over HTTPS on the LAN.",
        discussion: """
            swift run kata classroom [--port 8443] [--host ADDRESS] [--folder DIR] [--code CODE]
              starts the server (the class in DIR, ./classroom by default) and prints the join
              command, the join code, the CA fingerprint and the board's address.
            swift run kata classroom export [--out FILE] [--folder DIR]
              writes the class as CSV for grading (to standard output without --out).
            The first run builds the `classroom` program; `swift run classroom --help` is its own help.
            """
    )
    @Argument(parsing: .captureForPassthrough, help: "Passed on to the `classroom` program.")
    var arguments: [String] = []

    func run() throws {
        // Help is answered here: building the server only to print its help would take minutes.
        if arguments.contains(where: { ["--help", "-h"].contains($0) }) {
            print(Self.helpMessage())
            return
        }
        let root = try Workspace.find().root
        // The build talks on stderr: stdout is the program's (`export` writes its CSV there).
        FileHandle.standardError.write(
            Data("Building the classroom server (the first time takes a few minutes)…\n".utf8))
        let build = try swift(
            ["build", "--package-path", root.path, "--product", "classroom"], output: .standardError)
        guard build == 0 else { throw ExitCode(build) }
        let binPath = try swiftOutput(["build", "--package-path", root.path, "--show-bin-path"])
        let program = URL(fileURLWithPath: binPath).appendingPathComponent("classroom").path
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        execv(program, argv)
        throw KataError("could not start \(program): \(String(cString: strerror(errno)))")
    }

    /// Runs `swift` with `arguments`, its output shown as it comes; returns its exit status.
    private func swift(_ arguments: [String], output: FileHandle? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift"] + arguments
        if let output { process.standardOutput = output }
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs `swift` with `arguments` and returns what it printed, trimmed.
    private func swiftOutput(_ arguments: [String]) throws -> String {
        let pipe = Pipe()
        guard try swift(arguments, output: pipe.fileHandleForWriting) == 0 else {
            throw KataError("swift \(arguments.joined(separator: " ")) failed")
        }
        try pipe.fileHandleForWriting.close()
        let data = try pipe.fileHandleForReading.readToEnd() ?? Data()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
