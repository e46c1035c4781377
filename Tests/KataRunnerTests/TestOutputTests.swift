import KataRunner
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Reading the kata tests' output when a student's code misbehaves: failure messages with CRLF in
/// them, crashes, endless loops, and failures that say nothing. Fixtures/ holds real outputs of
/// the kata test binary run on such files.
@Suite struct TestOutputTests {
    @Test func everyLineEndingSplitsALine() {
        #expect(lines(of: "a\r\nb\nc\rd") == ["a", "b", "c", "d"])
        #expect(lines(of: "a\r\n\r\nb") == ["a", "", "b"])
        #expect(
            lines(of: "\u{1B}[91m✘\u{1B}[0m Suite X failed") == ["✘ Suite X failed"], "colours are dropped")
    }

    @Test func aFailureWhoseExpectationHoldsCRLFStillGivesTheTestsOwnWords() throws {
        let output = try Fixtures.text("crlf-message")
        #expect(output.contains("\r\n"), "the fixture keeps the CRLF the expectation printed")
        let suite = try #require(TestReport(swiftTestOutput: output).suites["ResponseHeadWriterKata"])
        #expect(!suite.passed)
        #expect(
            suite.messages.first?.hasPrefix(
                "GET on HTTP/1.1, then res.end(\"hi\"): the head must be \"HTTP/1.1 200 OK\\r\\n") == true,
            "got \(suite.messages)")
        #expect(!suite.messages.contains { $0.contains("\r") }, "no message is cut at a raw CR")
    }

    @Test func aSuiteThatFailedWithoutAMessageSaysSoAndHowToSeeTheRawOutput() {
        let output = "◇ Suite PumpKata started.\n✘ Suite PumpKata failed after 0.1 seconds with 1 issue.\n"
        let state = Verdict.state(ofSuite: "PumpKata", ending: .exited(1), output: output)
        #expect(state == .failedWithoutMessage)
        let words = Board.verdict(state, of: "pump").joined(separator: "\n")
        #expect(words.contains("no message could be read"))
        #expect(words.contains("swift run kata run pump --raw"))
    }

    @Test func aCrashIsReportedWithTheRuntimesWordsAndThePlaceInTheStudentsFile() throws {
        let output = try Fixtures.text("crash")
        let state = Verdict.state(
            ofSuite: "LineSplitterKata", ending: .signalled(4), output: output)
        guard case .crashed(let test, let crash) = state else {
            Issue.record("expected a crash, got \(state)")
            return
        }
        #expect(test?.isEmpty == false, "the tests that were running are named")
        #expect(
            crash == [
                "Fatal error: Index out of range",
                "LineSplitter.push(_:) at Exercises/01-tcp/LineSplitter.swift:9:42",
            ])
        let words = Board.verdict(state, of: "line-splitter").joined(separator: "\n")
        #expect(words.contains("crashed") && words.contains("Index out of range"))
    }

    /// A crash with no words from Swift's runtime (glibc's abort, a fault in C code) names the
    /// signal, where it said nothing at all.
    @Test func aSilentCrashNamesItsSignal() {
        let state = Verdict.state(ofSuite: "SignCSRKata", ending: .signalled(SIGABRT), output: "")
        let said = "the test process ended on signal \(SIGABRT) (Aborted)"
        #expect(state == .crashed(test: nil, lines: [said]))
    }

    @Test func anEndlessLoopNamesTheFunctionThatNeverReturned() throws {
        let output = try Fixtures.text("endless-loop")
        let state = Verdict.state(ofSuite: "LineSplitterKata", ending: .timedOut, output: output)
        guard case .stuck(let test, let why) = state else {
            Issue.record("expected stuck, got \(state)")
            return
        }
        #expect(test?.contains("wholeLinesInOneChunk()") == true)
        #expect(
            why
                == "did not finish: LineSplitter.push(_:) at Exercises/01-tcp/LineSplitter.swift:10:37 never returned. An endless loop?"
        )
    }

    @Test func aTimeOutWithoutABacktraceStillSaysWhatHappened() {
        let output = "◇ Test run started.\n◇ Suite PumpKata started.\n◇ Test drains() started.\n"
        let state = Verdict.state(ofSuite: "PumpKata", ending: .timedOut, output: output)
        #expect(
            state
                == .stuck(
                    test: "drains()",
                    why:
                        "did not finish: does your code loop forever, or wait for something that never comes?"
                ))
        #expect(
            Verdict.state(ofSuite: "PumpKata", ending: .cancelled, output: output) == .unknown)
    }
}
