import Testing

@testable import ClassroomServer

/// The count of wrong join codes by address, on a clock of the test's own.
@Suite struct JoinAttemptsTests {
    let start = ContinuousClock.now

    @Test func anAddressWaitsOutTheWindowOfItsOldestWrongCode() {
        var attempts = JoinAttempts(allowed: 3, window: .seconds(60))
        for second in [0, 10, 20] {
            #expect(attempts.wait(for: "10.0.0.7", at: start + .seconds(second)) == nil)
            attempts.wrongCode(from: "10.0.0.7", at: start + .seconds(second))
        }
        #expect(attempts.wait(for: "10.0.0.7", at: start + .seconds(30)) == .seconds(30))
        #expect(attempts.wait(for: "10.0.0.8", at: start + .seconds(30)) == nil, "another address")
        // The oldest has left the window: one more try, and a wrong one starts the wait again.
        #expect(attempts.wait(for: "10.0.0.7", at: start + .seconds(60)) == nil)
        attempts.wrongCode(from: "10.0.0.7", at: start + .seconds(61))
        #expect(attempts.wait(for: "10.0.0.7", at: start + .seconds(62)) == .seconds(8))
        // Long after, nothing of it is kept.
        #expect(attempts.wait(for: "10.0.0.7", at: start + .seconds(200)) == nil)
        #expect(attempts.remembered == 0)
    }

    @Test func onlyTheLatestAddressesAreRemembered() {
        var attempts = JoinAttempts(allowed: 1, window: .seconds(60))
        attempts.limit = 3
        for (second, address) in ["a", "b", "c", "d"].enumerated() {
            attempts.wrongCode(from: address, at: start + .seconds(second))
        }
        #expect(attempts.remembered == 3)
        #expect(attempts.wait(for: "a", at: start + .seconds(5)) == nil, "the quietest was forgotten")
        #expect(attempts.wait(for: "d", at: start + .seconds(5)) == .seconds(58))
    }
}
