import Kata
import Testing

/// The sequences here are what Node 20 answered to requests sent one after another on one socket.
@Suite struct KeepAliveDecisionKata {
    private func plans(
        max: Int, _ requests: [(version: String, connection: String?)]
    ) -> [KeepAlivePlan] {
        var tracker = KeepAliveTracker(maxRequestsPerSocket: max)
        return requests.map { tracker.plan(version: $0.version, connection: $0.connection) }
    }

    /// Plans as the student writes them: `[.keepAlive(header: "timeout=5"), .close]`. The tests
    /// compare these, so that a failure shows them, not the types' full names.
    private func show(_ plans: [KeepAlivePlan]) -> String {
        "[" + plans.map(show).joined(separator: ", ") + "]"
    }

    private func show(_ plan: KeepAlivePlan) -> String {
        switch plan {
        case .keepAlive(let header): ".keepAlive(header: \(header.debugDescription))"
        case .close: ".close"
        case .reject503: ".reject503"
        }
    }

    @Test func http11KeepsAliveUnlessTheClientSaysClose() {
        for (connection, expected) in [
            (nil, true), ("keep-alive", true), ("close", false), ("Close", false), ("Upgrade, close", false),
            ("closed", true),
        ] as [(String?, Bool)] {
            let wants = requestWantsKeepAlive(version: "1.1", connection: connection)
            #expect(
                wants == expected,
                "HTTP/1.1 with Connection: \(connection ?? "(none)") \(expected ? "keeps alive" : "closes"); you returned \(wants)"
            )
        }
    }

    @Test func http10ClosesUnlessTheClientSaysKeepAlive() {
        for (connection, expected) in [
            (nil, false), ("keep-alive", true), ("Keep-Alive, Upgrade", true), ("upgrade,keep-alive", true),
            ("keep-alive-ish", false),
        ] as [(String?, Bool)] {
            let wants = requestWantsKeepAlive(version: "1.0", connection: connection)
            #expect(
                wants == expected,
                "HTTP/1.0 with Connection: \(connection ?? "(none)") \(expected ? "keeps alive" : "closes"); you returned \(wants)"
            )
        }
    }

    @Test func withoutALimitTheHeaderIsTheTimeout() {
        let got = plans(max: 0, Array(repeating: ("1.1", nil), count: 4) + [("1.1", "close"), ("1.0", nil)])
        let expected: [KeepAlivePlan] =
            Array(repeating: .keepAlive(header: "timeout=5"), count: 4) + [.close, .close]
        #expect(
            show(got) == show(expected),
            "with no limit, four HTTP/1.1 requests get Keep-Alive: timeout=5, then Connection: close and a plain HTTP/1.0 request close; you returned \(show(got))"
        )
    }

    @Test func aLimitIsAnnouncedThenEnforced() {
        let two = plans(max: 2, Array(repeating: ("1.1", nil), count: 4))
        let expectedTwo: [KeepAlivePlan] = [
            .keepAlive(header: "timeout=5, max=2"), .close, .reject503, .reject503,
        ]
        #expect(
            show(two) == show(expectedTwo),
            "maxRequestsPerSocket = 2: the first gets max=2, the second closes, later ones get 503; you returned \(show(two))"
        )
        let three = plans(max: 3, Array(repeating: ("1.1", nil), count: 4))
        let expectedThree: [KeepAlivePlan] = [
            .keepAlive(header: "timeout=5, max=3"), .keepAlive(header: "timeout=5, max=3"), .close,
            .reject503,
        ]
        #expect(
            show(three) == show(expectedThree),
            "maxRequestsPerSocket = 3: max=3 twice (the limit, not what is left), then close, then 503; you returned \(show(three))"
        )
    }

    @Test func http10RequestsAreNotCounted() {
        let got = plans(
            max: 2,
            [
                ("1.0", "keep-alive"), ("1.0", "keep-alive"), ("1.0", "keep-alive"), ("1.1", nil),
                ("1.1", nil), ("1.1", nil),
            ])
        let expected: [KeepAlivePlan] =
            Array(repeating: .keepAlive(header: "timeout=5, max=2"), count: 4) + [.close, .reject503]
        #expect(
            show(got) == show(expected),
            "Node counts only HTTP/1.1 requests: three HTTP/1.0 keep-alive requests, then the limit of 2 applies to the HTTP/1.1 ones; you returned \(show(got))"
        )
    }

    @Test func pastTheLimitEvenACloseRequestGets503() {
        let got = plans(max: 1, [("1.1", nil), ("1.1", "close")])
        #expect(
            show(got) == show([.close, .reject503]),
            "maxRequestsPerSocket = 1: the first request reaches the limit and closes; the next is over it, so 503 whatever it asked. You returned \(show(got))"
        )
        let first = plans(max: 1, [("1.0", "keep-alive")])
        #expect(
            show(first) == show([.keepAlive(header: "timeout=5, max=1")]),
            "an HTTP/1.0 keep-alive request is not counted, so even with a limit of 1 it keeps alive; you returned \(show(first))"
        )
    }
}
