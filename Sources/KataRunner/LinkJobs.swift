import Foundation

/// The test binary's link as the jobs the driver runs for it (`swift-autolink-extract`, then
/// clang with lld), run without the driver: 0.3 s of a 0.56 s link, on every save that relinks.
struct LinkJobs: Codable, Sendable, Equatable {
    /// The commands, in order.
    var commands: [[String]]

    /// The jobs `commands`.
    init(commands: [[String]]) { self.commands = commands }

    /// The jobs the driver plans for `link` (the link command a quick build keeps); nil if the
    /// driver could not be asked or planned otherwise.
    static func planned(by link: [String]) -> LinkJobs? {
        DriverJobs.printed(by: link + ["-###"]).flatMap { LinkJobs(printedJobs: $0, output: link) }
    }

    /// The jobs in the driver's printout; nil unless the last one writes what `link` writes
    /// (its `-o`), and every file a job reads its arguments from (`@FILE`) is there now or is
    /// written by a job before it: a response file in a temporary folder is gone by the time a
    /// save runs the jobs.
    init?(printedJobs: String, output link: [String]) {
        var commands: [[String]] = []
        var written: Set<String> = []
        for line in printedJobs.split(whereSeparator: \.isNewline) {
            guard let words = DriverJobs.shellWords(line), let tool = words.first, tool.hasPrefix("/")
            else { return nil }
            for word in words where word.hasPrefix("@") {
                let file = String(word.dropFirst())
                guard written.contains(file) || FileManager.default.fileExists(atPath: file) else {
                    return nil
                }
            }
            if let output = words.value(after: "-o") { written.insert(output) }
            commands.append(words)
        }
        guard let output = link.value(after: "-o"), commands.last?.value(after: "-o") == output else {
            return nil
        }
        self.commands = commands
    }

    /// Runs the jobs in order; the ending of the first that did not succeed, else success.
    func run(cancellation: Cancellation?) throws -> ChildProcess.Ending {
        for command in commands {
            let ran = try ChildProcess.run(command[0], Array(command.dropFirst()), cancellation: cancellation)
            if ran.ending != .exited(0) { return ran.ending }
        }
        return .exited(0)
    }
}
