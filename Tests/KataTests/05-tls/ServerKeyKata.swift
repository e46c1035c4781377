import Foundation
import Kata
import NodeNet
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1)))
struct ServerKeyKata {
    /// The key PEM read back, or nil with an issue saying what is wrong with `pem`.
    private func readKey(_ pem: String) -> KeyObject? {
        guard
            pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n")
                || pem.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n")
        else {
            Issue.record(
                "server.key is PEM text starting with -----BEGIN PRIVATE KEY----- (what openssl genrsa writes) or -----BEGIN RSA PRIVATE KEY----- (the book's OpenSSL 1.x); you returned \(pem.prefix(40).debugDescription)"
            )
            return nil
        }
        guard let key = try? crypto.createPrivateKey(pem) else {
            Issue.record("crypto.createPrivateKey cannot read what you returned as a private key")
            return nil
        }
        return key
    }

    @Test func aNewRSAKeyOf2048BitsThatOpenSSLAccepts() async throws {
        let pem = try generateServerKey()
        guard let key = readKey(pem) else { return }
        #expect(
            key.asymmetricKeyType == "rsa",
            "genrsa makes RSA keys; yours is a \(key.asymmetricKeyType) key: use .rsa(modulusLength:)")
        #expect(
            key.asymmetricKeyDetails.modulusLength == 2048,
            "generateServerKey() makes 2048 bits by default; your key has \(key.asymmetricKeyDetails.modulusLength ?? 0)"
        )
        let openssl = try requirePeer("openssl")
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("server.key", pem)
        let check = try await runPeer(
            openssl, ["rsa", "-check", "-noout", "-in", "server.key"], in: folder.url)
        #expect(
            check.status == 0 && check.output == "RSA key ok\n",
            "openssl rsa -check -noout -in server.key must say \"RSA key ok\"; it said \(said(check))")
    }

    @Test func theSizeAskedForIsTheSizeMade() throws {
        let pem = try generateServerKey(bits: 3072)
        guard let key = readKey(pem) else { return }
        #expect(
            key.asymmetricKeyDetails.modulusLength == 3072,
            "generateServerKey(bits: 3072) must make a 3072-bit key (openssl genrsa -out server.key 3072); yours has \(key.asymmetricKeyDetails.modulusLength ?? 0) bits: pass bits on as the modulus length"
        )
    }

    @Test func everyCallMakesANewKey() throws {
        let first = try generateServerKey()
        let second = try generateServerKey()
        guard readKey(first) != nil else { return }
        #expect(
            first != second,
            "two calls returned the same key: each server needs its own, so make a new one every time")
    }

    @Test func theBooks1024BitsAreRefused() throws {
        do {
            let pem = try generateServerKey(bits: 1024)
            Issue.record(
                "generateServerKey(bits: 1024) returned \(pem.prefix(40).debugDescription): throw ServerKeyTooSmall(bits: 1024) instead, since security level 2 refuses keys under 2048 bits"
            )
        } catch let error as ServerKeyTooSmall {
            #expect(
                error == ServerKeyTooSmall(bits: 1024),
                "say which size was refused: ServerKeyTooSmall(bits: 1024)")
        } catch {
            Issue.record(
                "generateServerKey(bits: 1024) must throw ServerKeyTooSmall(bits: 1024); it threw \(error)")
        }
    }
}

/// What a peer program printed, on one line, as a failure message shows it.
private func said(_ run: PeerRun) -> String {
    let lines = (run.output + run.errors).split(separator: "\n").map {
        $0.trimmingCharacters(in: .whitespaces)
    }
    return "exit \(run.status): " + lines.joined(separator: " / ")
}
