import Kata
import Testing

/// The decisions here are what Node 20's server did with the same heads.
@Suite struct ExpectContinueKata {
    /// Decides, and counts how often the application was asked.
    private func decide(
        _ version: String, _ expect: String?, answer: ContinueAnswer = .accept
    ) -> (decision: ExpectDecision, asked: Int) {
        var asked = 0
        let decision = decideExpectation(version: version, expect: expect) {
            asked += 1
            return answer
        }
        return (decision, asked)
    }

    /// This workspace's application: a body of up to 1 KiB may come, a larger one may not.
    private func application(contentLength: Int) -> ContinueAnswer {
        contentLength <= 1024 ? .accept : .refuse(status: 417)
    }

    /// A decision as the student writes it: `.reject(status: 417, closeConnection: true)`.
    private func show(_ decision: ExpectDecision) -> String {
        switch decision {
        case .handle: ".handle"
        case .sendContinue: ".sendContinue"
        case .reject(let status, let close): ".reject(status: \(status), closeConnection: \(close))"
        }
    }

    @Test func theContinueResponseIsAStatusLineAndAnEmptyLine() {
        let bytes = ExpectDecision.continueResponse
        #expect(
            bytes == Array("HTTP/1.1 100 Continue\r\n\r\n".utf8),
            "100 Continue is \"HTTP/1.1 100 Continue\\r\\n\\r\\n\" with no headers; yours is \(String(decoding: bytes, as: UTF8.self).debugDescription)"
        )
    }

    @Test func noExpectationIsHandledWithoutAsking() {
        let plain = decide("1.1", nil)
        #expect(
            plain.decision == .handle && plain.asked == 0,
            "no Expect header: handle it, and do not ask the application; you returned \(show(plain.decision)), asked \(plain.asked) times"
        )
        let expecting = decide("1.1", "100-continue")
        #expect(
            expecting.decision == .sendContinue,
            "but Expect: 100-continue, accepted, sends 100 Continue; you returned \(show(expecting.decision))"
        )
    }

    @Test func anAcceptedContinueSends100() {
        for value in ["100-continue", "100-Continue", " 100-CONTINUE "] {
            let result = decide("1.1", value, answer: application(contentLength: 512))
            #expect(
                result.decision == .sendContinue && result.asked == 1,
                "Expect: \(value.debugDescription) for 512 bytes: ask once, the application accepts, so .sendContinue; you returned \(show(result.decision)), asked \(result.asked) times"
            )
        }
    }

    @Test func aRefusedContinueAnswersAndCloses() {
        let large = decide("1.1", "100-continue", answer: application(contentLength: 1_000_000))
        #expect(
            large.decision == .reject(status: 417, closeConnection: true) && large.asked == 1,
            "the application refuses 1 MB with 417: answer 417 and close, the body unread; you returned \(show(large.decision)), asked \(large.asked) times"
        )
        let other = decide("1.1", "100-continue", answer: .refuse(status: 413))
        #expect(
            other.decision == .reject(status: 413, closeConnection: true),
            "the status is the application's: refused with 413, answer 413 and close; you returned \(show(other.decision))"
        )
    }

    @Test func otherExpectationsGet417AndKeepTheConnection() {
        for value in ["fancy-feature", "100-continued", "x100-continue"] {
            let result = decide("1.1", value)
            #expect(
                result.decision == .reject(status: 417, closeConnection: false) && result.asked == 0,
                "Expect: \(value) is not the word 100-continue: 417, connection kept, application not asked; you returned \(show(result.decision)), asked \(result.asked) times"
            )
        }
    }

    @Test func http10IgnoresExpect() {
        for value in ["100-continue", "fancy-feature"] {
            let old = decide("1.0", value)
            let new = decide("1.1", value)
            #expect(
                old.decision == .handle && old.asked == 0 && new.decision != .handle,
                "HTTP/1.0 has no Expect: with Expect: \(value) handle it without asking (on HTTP/1.1 it would not be handled plainly); you returned \(show(old.decision)), asked \(old.asked) times, and \(show(new.decision)) on HTTP/1.1"
            )
        }
    }
}
