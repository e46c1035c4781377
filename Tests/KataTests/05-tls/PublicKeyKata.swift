import Foundation
import Kata
import NodeNet
import TestSupport
import Testing

/// Each test makes `server.key` with the book's command (2048 bits, not 1024) and compares your
/// answer with what `openssl rsa -in server.key -pubout` prints.
@Suite(.timeLimit(.minutes(1)))
struct PublicKeyKata {
    /// Runs openssl in `folder`; records an issue and throws if it fails.
    @discardableResult
    private func openssl(_ arguments: [String], in folder: TemporaryDirectory) async throws -> String {
        let run = try await runPeer(try requirePeer("openssl"), arguments, in: folder.url)
        try #require(run.status == 0, "openssl \(arguments.joined(separator: " ")) failed: \(said(run))")
        return run.output
    }

    /// Expects your PEM to be openssl's, byte for byte.
    private func compare(_ yours: String, _ expected: String, _ situation: String) {
        guard yours != expected else { return }
        if !yours.hasPrefix("-----BEGIN PUBLIC KEY-----\n") {
            Issue.record(
                "\(situation): -pubout writes a -----BEGIN PUBLIC KEY----- block (SubjectPublicKeyInfo); yours starts \(yours.prefix(40).debugDescription)"
            )
        } else {
            Issue.record(
                "\(situation): yours is not what openssl rsa -pubout writes: \(whereTheyDiffer(yours, expected))"
            )
        }
    }

    /// The first place where `yours` and `expected` part, in words.
    private func whereTheyDiffer(_ yours: String, _ expected: String) -> String {
        let mine = Array(yours.utf8)
        let theirs = Array(expected.utf8)
        let common = zip(mine, theirs).prefix { $0 == $1 }.count
        let line = theirs[..<common].filter { $0 == UInt8(ascii: "\n") }.count + 1
        func text(_ bytes: [UInt8]) -> String {
            String(decoding: bytes[common...].prefix(20), as: UTF8.self).debugDescription
        }
        if common == theirs.count {
            return "it has \(mine.count - common) more bytes at the end, \(text(mine))"
        }
        if common == mine.count {
            let missing = theirs.count - common == 1 && theirs.last == UInt8(ascii: "\n")
            return missing
                ? "it lacks the final newline after -----END PUBLIC KEY-----"
                : "it stops on line \(line), where openssl goes on with \(text(theirs))"
        }
        return "on line \(line), byte \(common), openssl has \(text(theirs)) and yours \(text(mine))"
    }

    @Test func theSamePublicKeyAsOpenSSLPubout() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try await openssl(["genrsa", "-out", "server.key", "2048"], in: folder)
        let expected = try await openssl(["rsa", "-in", "server.key", "-pubout"], in: folder)
        let yours = try publicKeyPEM(fromPrivateKey: try folder.read("server.key"))
        compare(yours, expected, "the key openssl genrsa made")
    }

    @Test func theBooksOlderKeyFormToo() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try await openssl(["genrsa", "-out", "server.key", "2048"], in: folder)
        // The form OpenSSL 1.x's genrsa wrote, in the book's day.
        try await openssl(["rsa", "-in", "server.key", "-traditional", "-out", "old.key"], in: folder)
        let old = try folder.read("old.key")
        try #require(old.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        let expected = try await openssl(["rsa", "-in", "old.key", "-pubout"], in: folder)
        let yours = try publicKeyPEM(fromPrivateKey: old)
        compare(yours, expected, "the same key in the book's form, -----BEGIN RSA PRIVATE KEY-----")
    }

    @Test func itIsAPublicKeyNotThePrivateOne() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try await openssl(["genrsa", "-out", "server.key", "2048"], in: folder)
        let yours = try publicKeyPEM(fromPrivateKey: try folder.read("server.key"))
        #expect(
            !yours.contains("PRIVATE"),
            "server.pem is handed to anybody: it must hold the public key only, never the private key")
        #expect(
            yours.hasPrefix("-----BEGIN PUBLIC KEY-----\n") && yours.hasSuffix("-----END PUBLIC KEY-----\n"),
            "-pubout writes one -----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY----- block; you returned \(yours.prefix(40).debugDescription)"
        )
        try folder.write("server.pem", yours)
        let check = try await runPeer(
            try requirePeer("openssl"), ["pkey", "-pubin", "-in", "server.pem", "-noout"], in: folder.url)
        #expect(
            check.status == 0,
            "openssl pkey -pubin -in server.pem cannot read your public key: \(said(check))")
    }
}

/// What a peer program printed, on one line, as a failure message shows it.
private func said(_ run: PeerRun) -> String {
    let lines = (run.output + run.errors).split(separator: "\n").map {
        $0.trimmingCharacters(in: .whitespaces)
    }
    return "exit \(run.status): " + lines.joined(separator: " / ")
}
