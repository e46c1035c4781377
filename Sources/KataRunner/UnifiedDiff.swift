/// A unified diff (what `diff -u` prints) applied to a text: how a mutant is kept, as the few lines
/// that make a solution wrong rather than a second copy of the whole solution.
public struct UnifiedDiff: Sendable, Equatable {
    /// One `@@ -start,count +start,count @@` block: the old lines it expects and the new ones.
    struct Hunk: Sendable, Equatable {
        /// Where the old lines start, counting from 0 (a hunk that only adds, `-5,0`, adds after
        /// line 5: at index 5).
        let oldStart: Int
        /// The context and removed lines, as they must stand in the text.
        var old: [Substring] = []
        /// The context and added lines, which take their place.
        var new: [Substring] = []
    }

    /// The hunks, in order.
    let hunks: [Hunk]

    /// A diff that cannot be used, in words a maintainer can act on.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// Reads the hunks of `text`; lines before the first `---`/`+++`/`@@` are commentary.
    public init(_ text: String) throws {
        var hunks: [Hunk] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let header = line.firstMatch(of: /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/) {
                let start = Int(header.1)!
                hunks.append(Hunk(oldStart: header.2 == "0" ? start : max(start - 1, 0)))
            } else if hunks.isEmpty || line.hasPrefix("\\") {
                continue  // commentary, file names, or "\ No newline at end of file"
            } else if line.hasPrefix(" ") || line.isEmpty {
                hunks[hunks.count - 1].old.append(line.dropFirst())
                hunks[hunks.count - 1].new.append(line.dropFirst())
            } else if line.hasPrefix("-") {
                hunks[hunks.count - 1].old.append(line.dropFirst())
            } else if line.hasPrefix("+") {
                hunks[hunks.count - 1].new.append(line.dropFirst())
            } else {
                throw Problem(description: "a hunk has a line that is neither context, - nor +: \(line)")
            }
        }
        // The last line of a file ends in "\n", which splitting turns into one empty line too many.
        if let last = hunks.indices.last, hunks[last].old.last == "", hunks[last].new.last == "" {
            hunks[last].old.removeLast()
            hunks[last].new.removeLast()
        }
        guard !hunks.isEmpty else { throw Problem(description: "it holds no hunk (@@ … @@)") }
        self.hunks = hunks
    }

    /// `text` with every hunk applied. A hunk must find its old lines exactly where it says: a
    /// diff made against another version of the text is refused, never applied somewhere else.
    public func applied(to text: String) throws -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var shift = 0
        for hunk in hunks {
            let start = hunk.oldStart + shift
            guard start + hunk.old.count <= lines.count,
                Array(lines[start..<start + hunk.old.count]) == hunk.old
            else {
                throw Problem(
                    description:
                        "the hunk at line \(hunk.oldStart + 1) does not match the text there: was the file changed?"
                )
            }
            lines.replaceSubrange(start..<start + hunk.old.count, with: hunk.new)
            shift += hunk.new.count - hunk.old.count
        }
        return lines.joined(separator: "\n")
    }
}
