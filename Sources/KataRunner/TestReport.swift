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

    /// Tests that started and never ended, in the order they started (the run was cut short: an
    /// endless loop, or a crash).
    public var unfinishedTests: [String] = []

    /// The runtime's words when the process crashed: `Fatal error: Index out of range`.
    public var fatalErrors: [String] = []

    /// The places in the exercises' files that a backtrace names, innermost first:
    /// `LineSplitter.push(_:) at Exercises/01-tcp/LineSplitter.swift:9:42`.
    public var placesInExercises: [String] = []

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
        var started: [String] = []
        var ended: Set<String> = []
        let patterns = Patterns()
        // Cheap prefix checks pick the lines a pattern is tried on: regular expressions on every
        // line of a backtrace cost seconds in a debug build.
        for line in lines(of: output) {
            let isStatus = line.hasPrefix("◇") || line.hasPrefix("✔") || line.hasPrefix("✘")
            guard isStatus || line.hasPrefix("↳") else {
                readCrash(line, patterns)
                continue
            }
            if line.hasPrefix("◇ Test "), let match = line.firstMatch(of: patterns.testStarted),
                match.1 != "run"
            {
                started.append(String(match.1))
            } else if line.contains(" after "),
                let match = line.firstMatch(of: patterns.testEnded)
            {
                ended.insert(String(match.1))
            }
            if let match = line.firstMatch(of: patterns.suitePassed) {
                flushExpectation()
                suites[String(match.1), default: Suite(passed: true, messages: [])].passed = true
            } else if let match = line.firstMatch(of: patterns.suiteFailed) {
                flushExpectation()
                suites[String(match.1), default: Suite(passed: false, messages: [])].passed = false
            } else if line.hasPrefix("✘ Test "), line.contains(" recorded an issue at "),
                let match = line.firstMatch(of: patterns.issue)
            {
                flushExpectation()
                currentSuite = String(match.1)
                pendingExpectation = match.2 == "Issue recorded" ? nil : String(match.2)
            } else if let match = line.firstMatch(of: patterns.issueDetail), let suite = currentSuite {
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
        unfinishedTests = started.filter { !ended.contains($0) }
    }

    /// Keeps a line of a crash worth showing: the runtime's fatal error, or a backtrace frame in
    /// an exercise's file (`3 [ra] 0x… LineSplitter.push(_:) + 285 in … at /…/Exercises/…:9:42`).
    private mutating func readCrash(_ line: String, _ patterns: Patterns) {
        let mayBeFatal = line.contains("Fatal error") || line.contains(" failed")
        if mayBeFatal,
            let match = line.firstMatch(of: patterns.fatalError)
        {
            let text = String(match.0)
            if !fatalErrors.contains(text) { fatalErrors.append(text) }
        } else if line.contains("/Exercises/"), line.contains(" at /"),
            let match = line.firstMatch(of: patterns.frameInExercises)
        {
            let place = "\(match.1) at \(match.2)"
            if !placesInExercises.contains(place) { placesInExercises.append(place) }
        }
    }

    private mutating func add(_ message: String, to suite: String) {
        var entry = suites[suite] ?? Suite(passed: false, messages: [])
        if !entry.messages.contains(message) { entry.messages.append(message) }
        suites[suite] = entry
    }
}

/// The compiler's errors, by file, from `swift build`'s output.
public func compilerErrors(in output: String) -> [(file: String, line: String)] {
    let compilerError = /^(\/[^:]+\.swift):\d+:\d+: error: .*$/
    return lines(of: output).compactMap { line in
        guard line.contains(": error: "),
            let match = line.firstMatch(of: compilerError)
        else { return nil }
        return (String(match.1), String(line))
    }
}

/// The lines of a program's output, split at every line ending: Swift reads "\r\n" as one
/// `Character`, so splitting at "\n" alone would leave a CRLF-ended line glued to the next.
public func lines(of output: String) -> [String] {
    let colour = /\x{1B}\[[0-9;]*m/
    return output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map {
        // Colours, should a program print them anyway.
        $0.contains("\u{1B}") ? String($0).replacing(colour, with: "") : String($0)
    }
}

/// The patterns the output is read with. A regex literal is parsed again each time it is
/// evaluated, which for every line of a long test output was most of what reading it cost, so
/// each reading makes them once (one value per reading: SwiftRegex's `Regex` is not `Sendable`).
private struct Patterns {
    let testStarted = /^◇ Test (.+) started\.$/
    let testEnded = /^[✔✘] Test (.+) (passed|failed) after\b/
    let suitePassed = /^✔ Suite (\w+) passed/
    let suiteFailed = /^✘ Suite (\w+) failed/
    let issue = /^✘ Test .* recorded an issue at (\w+)\.swift:\d+:\d+: (.*)$/
    let issueDetail = /^↳ (.*)$/
    let fatalError = /(Fatal error|Precondition failed|Assertion failed)(: .*)?$/
    let frameInExercises =
        /0x[0-9a-f]+ (.+?) \+ \d+ in \S+ at \/\S*\/(Exercises\/\S+\.swift:\d+(:\d+)?)/
}
