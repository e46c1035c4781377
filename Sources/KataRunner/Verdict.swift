#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One exercise's state from one run of its suite in a process of its own.
public enum Verdict {
    /// The state of `suite` after a test process ended as `ending` having written `output`.
    public static func state(ofSuite suite: String, ending: ChildProcess.Ending, output: String)
        -> KataProgress.State
    {
        let report = TestReport(swiftTestOutput: output)
        // Tests of a suite run side by side: name all that were still running.
        let running = report.unfinishedTests.isEmpty ? nil : report.unfinishedTests.joined(separator: ", ")
        switch ending {
        case .cancelled:
            return .unknown
        case .timedOut:
            // The runner stopped it with a signal that makes Swift print where every thread was.
            if let place = report.placesInExercises.first {
                return .stuck(
                    test: running,
                    why: "did not finish: \(place) never returned. An endless loop?")
            }
            return .stuck(
                test: running,
                why: "did not finish: does your code loop forever, or wait for something that never comes?"
            )
        case .tooMuchMemory:
            let place = report.placesInExercises.first.map { " (\($0))" } ?? ""
            return .stuck(
                test: running,
                why: "took more memory than any answer needs\(place): an endless loop that keeps adding?")
        case .signalled(SIGKILL):
            // The runner's own kills end as timedOut or cancelled: this one came from outside
            // (the kernel out of memory, a `kill -9`), and says nothing about the student's code.
            return .stuck(
                test: running,
                why:
                    "did not finish: the test process was killed from outside kata (out of memory?); the next check runs it again"
            )
        case .signalled(let signal):
            let lines = report.fatalErrors + report.placesInExercises.prefix(3)
            // No words from Swift's runtime (a signal from C code, or glibc's own abort): the
            // signal at least says what ended it.
            return .crashed(test: running, lines: lines.isEmpty ? [signalLine(signal)] : lines)
        case .exited(let status):
            if let result = report.suites[suite] {
                return result.passed && status == 0 ? .done : failing(result.messages)
            }
            // A crash in a test that Swift Testing reports as an exit, not a signal.
            if !report.fatalErrors.isEmpty {
                return .crashed(test: running, lines: report.fatalErrors + report.placesInExercises.prefix(3))
            }
            return status == 0 ? .unknown : .failedWithoutMessage
        }
    }

    /// "the test process ended on signal 6 (Aborted)", in the C library's words for it.
    static func signalLine(_ signal: Int32) -> String {
        "the test process ended on signal \(signal)"
            + (strsignal(signal).map { " (\(String(cString: $0)))" } ?? "")
    }

    /// `.failing(messages)`, or `.failedWithoutMessage` when none could be read.
    static func failing(_ messages: [String]) -> KataProgress.State {
        messages.isEmpty ? .failedWithoutMessage : .failing(messages)
    }
}
