import Testing

/// `swift run tour`, the README's first command, runs every chapter's demo and succeeds.
@Suite(.timeLimit(.minutes(2)))
struct TourTests {
    @Test func theTourRunsEveryChapterAndSucceeds() async throws {
        let tour = try RunningProgram.built("tour")
        #expect(try await tour.waitForExit(seconds: 90) == 0, "\(tour.standardOutput)\(tour.standardError)")
        #expect(tour.standardOutput.contains("Chapter 1"))
        #expect(tour.standardOutput.contains("client received: 你好"))
        #expect(tour.standardOutput.contains("server close"))
        #expect(tour.standardOutput.contains("Chapter 2"))
        #expect(tour.standardOutput.contains("event: message \"ping\""))
        #expect(tour.standardOutput.contains("sent 100, relayed 68, dropped 32, received 68"))
        #expect(tour.standardOutput.contains("Chapter 3"))
        #expect(tour.standardOutput.contains("HTTP/1.1 200 OK⏎"))
        #expect(tour.standardOutput.contains("client: POST /upload → 417 Expectation Failed"))
        #expect(tour.standardOutput.contains("Chapter 4"))
        #expect(tour.standardOutput.contains("base64       s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
        #expect(tour.standardOutput.contains("FIN 1 · RSV 000 · opcode 1 (text) · MASK 1 · length 5"))
        #expect(tour.standardOutput.contains("client: echoed: {\"update\":5}"))
        #expect(tour.standardOutput.contains("Chapter 5"))
        #expect(tour.standardOutput.contains("server: secure connection from CN=student, authorized: true"))
        #expect(tour.standardOutput.contains("client: refused the connection: SELF_SIGNED_CERT_IN_CHAIN"))
        #expect(tour.standardOutput.contains("Chapter 6"))
        #expect(tour.standardOutput.contains("client: hello over HTTPS (TLSv1.3"))
        #expect(tour.standardOutput.contains("every demo ran"))
    }
}
