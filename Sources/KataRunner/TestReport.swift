/// What the kata tests said about each suite, read from `swift test`'s output.
public struct TestReport: Sendable, Equatable {
    /// Each suite's result: passed or failed, with what the failing tests said.
    public struct Suite: Sendable, Equatable {
        /// Whether every test of the suite passed.
        public var passed: Bool
        /// The failing tests' messages, in the student's terms, first ones first, without repeats.
        public var messages: [String]
    }

    /// The suites that ran, by name.
    public var suites: [String: Suite] = [:]

    /// Reads Swift Testing's console output.
    ///
    /// A suite's verdict is its `✔ Suite X passed` / `✘ Suite X failed` line. A failure's words are
    /// the `↳` lines under `✘ Test … recorded an issue at X.swift:…` (the test's own message),
    /// else the expectation itself; kata test files are named after their suite.
    public init(swiftTestOutput output: String) {
        var currentSuite: String?
        var pendingExpectation: String?
        func flushExpectation() {
            if let suite = currentSuite, let text = pendingExpectation { add(text, to: suite) }
            pendingExpectation = nil
        }
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let match = line.firstMatch(of: /^✔ Suite (\w+) passed/) {
                flushExpectation()
                suites[String(match.1), default: Suite(passed: true, messages: [])].passed = true
            } else if let match = line.firstMatch(of: /^✘ Suite (\w+) failed/) {
                flushExpectation()
                suites[String(match.1), default: Suite(passed: false, messages: [])].passed = false
            } else if let match = line.firstMatch(
                of: /^✘ Test .* recorded an issue at (\w+)\.swift:\d+:\d+: (.*)$/)
            {
                flushExpectation()
                currentSuite = String(match.1)
                pendingExpectation = match.2 == "Issue recorded" ? nil : String(match.2)
            } else if let match = line.firstMatch(of: /^↳ (.*)$/), let suite = currentSuite {
                pendingExpectation = nil
                add(String(match.1), to: suite)
            } else if ["◇", "✔", "✘"].contains(where: line.hasPrefix) {
                // A new status line ends the issue; anything else (a `±` diff, a wrapped
                // message) still belongs to it.
                flushExpectation()
                currentSuite = nil
            }
        }
        flushExpectation()
    }

    private mutating func add(_ message: String, to suite: String) {
        var entry = suites[suite] ?? Suite(passed: false, messages: [])
        if !entry.messages.contains(message) { entry.messages.append(message) }
        suites[suite] = entry
    }
}

/// The compiler's errors, by file, from `swift build`'s output.
public func compilerErrors(in output: String) -> [(file: String, line: String)] {
    output.split(separator: "\n").compactMap { line in
        guard let match = line.firstMatch(of: /^(\/[^:]+\.swift):\d+:\d+: error: .*$/) else { return nil }
        return (String(match.1), String(line))
    }
}
