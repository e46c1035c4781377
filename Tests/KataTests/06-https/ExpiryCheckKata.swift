import Foundation
import Kata
import NodeNet
import TestSupport
import Testing

/// Real HTTPS servers whose certificates, from the CA the monitor trusts, run out in 90 days, in
/// 10, or ran out yesterday; and one whose certificate nobody vouches for.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct ExpiryCheckKata {
    static let day = 86_400

    /// Your monitor's line for a server presenting `identity`, checked at `now`.
    private func check(
        _ identity: Identity, _ certs: TestCertificates, warnDays: Int, now: Int, _ situation: String
    ) async throws -> String? {
        let (server, port) = try await listeningHTTPSServer(identity)
        defer { server.close() }
        do {
            return try await waitFor("the monitor's line", seconds: 30) { done in
                checkCertificateExpiry(
                    "https://localhost:\(port)/", ca: [certs.caCert], warnDays: warnDays, now: now, done: done
                )
            }
        } catch {
            Issue.record(
                "\(situation): done was not called \(waited(30, error)). Call it when the response comes, or from the request's error event"
            )
            return nil
        }
    }

    /// A certificate for localhost from the test CA, valid from `from` to `to` seconds from now.
    private func identity(_ certs: TestCertificates, from: Int = 0, to: Int) throws -> Identity {
        try certs.serverIdentity(
            ["DNS:localhost", "IP:127.0.0.1"], validity: CertificateValidity(notBefore: from, notAfter: to))
    }

    /// A moment `days` and a half days before `identity`'s certificate runs out, so that rounding
    /// up and rounding down differ.
    private func now(_ identity: Identity, daysAndAHalfBefore days: Int) throws -> Int {
        try X509Certificate(pem: identity.cert).notAfter - days * Self.day - Self.day / 2
    }

    @Test func plentyOfDaysLeftIsOK() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try identity(certs, to: 90 * Self.day)
        let now = try now(server, daysAndAHalfBefore: 89)
        let situation = "a certificate that runs out 89 days and 12 hours after now, warnDays 30"
        guard let line = try await check(server, certs, warnDays: 30, now: now, situation) else { return }
        #expect(
            line == "ok: 89 days left",
            "\(situation): the line must be \"ok: 89 days left\", whole days rounded down; you said \(line.debugDescription)"
        )
    }

    @Test func fewDaysLeftMeansRenew() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try identity(certs, to: 10 * Self.day)
        let now = try now(server, daysAndAHalfBefore: 9)
        let situation = "a certificate that runs out 9 days and 12 hours after now"
        guard let warned = try await check(server, certs, warnDays: 30, now: now, situation + ", warnDays 30")
        else { return }
        #expect(
            warned == "renew: 9 days left",
            "\(situation), warnDays 30: the line must be \"renew: 9 days left\"; you said \(warned.debugDescription)"
        )
        guard
            let atThreshold = try await check(
                server, certs, warnDays: 9, now: now, situation + ", warnDays 9")
        else { return }
        #expect(
            atThreshold == "ok: 9 days left",
            "\(situation), warnDays 9: exactly warnDays left is still ok; you said \(atThreshold.debugDescription)"
        )
    }

    @Test func anExpiredCertificateIsAnError() async throws {
        let certs = try await TestCertificates.forTest()
        let server = try identity(certs, from: -2 * Self.day, to: -Self.day)
        let situation = "a certificate that ran out yesterday"
        guard
            let line = try await check(
                server, certs, warnDays: 30, now: Int(Date().timeIntervalSince1970), situation)
        else { return }
        #expect(
            line == "error: CERT_HAS_EXPIRED",
            "\(situation): Node's check refuses it, so the line must be \"error: CERT_HAS_EXPIRED\"; you said \(line.debugDescription). Keep the check on"
        )
    }

    @Test func anUntrustedCertificateIsAnError() async throws {
        let certs = try await TestCertificates.forTest()
        let server = Identity(key: certs.selfSignedKey, cert: certs.selfSignedCert)
        let situation = "a self-signed certificate for localhost"
        guard
            let line = try await check(
                server, certs, warnDays: 30, now: Int(Date().timeIntervalSince1970), situation)
        else { return }
        #expect(
            line == "error: DEPTH_ZERO_SELF_SIGNED_CERT",
            "\(situation): the line must be \"error: DEPTH_ZERO_SELF_SIGNED_CERT\"; you said \(line.debugDescription)"
        )
    }
}
