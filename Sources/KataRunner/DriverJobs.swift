import Foundation

/// What the Swift driver would run for a command, asked once after a full build and run later
/// without it. The driver's own start and planning cost about a fifth of a second a command on a
/// 2-core laptop, as much as the link it drives, and a save needs the same jobs every time.
enum DriverJobs {
    /// The jobs `command` plans, one shell command a line, as the driver prints them when the
    /// command holds `-###` or `-driver-print-jobs`; nil if the driver could not be asked.
    static func printed(by command: [String]) -> String? {
        guard let printed = try? ChildProcess.run(command[0], Array(command.dropFirst())),
            printed.ending == .exited(0)
        else { return nil }
        return printed.output
    }

    /// The words of a command line as a POSIX shell splits it (the driver quotes a word with
    /// spaces or quotes in it: `'/home/li lei/x'`, `'it'\''s'`); nil if a quote is left open.
    static func shellWords(_ line: Substring) -> [String]? {
        var words: [String] = []
        var word: String?
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                word = (word ?? "") + String(character)
                escaped = false
            } else if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else {
                    word = (word ?? "") + String(character)
                }
            } else if character == "'" || character == "\"" {
                quote = character
                word = word ?? ""
            } else if character == "\\" {
                escaped = true
            } else if character.isWhitespace {
                if let finished = word { words.append(finished) }
                word = nil
            } else {
                word = (word ?? "") + String(character)
            }
        }
        guard quote == nil, !escaped else { return nil }
        if let word { words.append(word) }
        return words
    }
}
