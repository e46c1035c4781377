import Foundation
import TestSupport
import Testing

/// `tls-certs` as a user runs it: the book's keys made in Swift and checked by `openssl`, mutual
/// TLS between the two programs, the man in the middle, and the book's 1024-bit keys. One test at
/// a time: each generates RSA keys, and side by side in a plain `swift test` on two cores they
/// starved every other test of the process.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct TLSCertsProgramTests {
    /// A fresh folder with the chapter's keys in it (`tls-certs keys`), and the program's output.
    private func makeKeys(bits: Int = 2048) async throws -> (URL, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-certs-\(UUID())")
        let keys = try RunningProgram.built("tls-certs", ["keys", folder.path, "--bits", "\(bits)"])
        #expect(try await keys.waitForExit(seconds: 60) == 0, "\(keys.standardError)")
        return (folder, keys.standardOutput)
    }

    @Test func keysAreAcceptedByOpenSSL() async throws {
        let openssl = try requirePeer("openssl")
        let (folder, output) = try await makeKeys()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(output.contains("server.key  ← openssl genrsa -out server.key 2048"))
        #expect(output.contains("openssl verify -CAfile ca.crt server.crt client.crt → ok"))
        // And checked here too, by openssl run from the test itself.
        let verify = try await runPeer(
            openssl, ["verify", "-CAfile", "ca.crt", "server.crt", "client.crt"], in: folder)
        #expect(verify.status == 0 && verify.output == "server.crt: OK\nclient.crt: OK\n", "\(verify)")
        let request = try await runPeer(
            openssl, ["x509", "-noout", "-ext", "subjectAltName", "-in", "server.crt"], in: folder)
        #expect(request.output.contains("DNS:localhost, IP Address:127.0.0.1"), "\(request)")
        // `rsa -pubout` writes a public key, whatever the book says.
        let publicKey = try String(contentsOf: folder.appendingPathComponent("server.pem"), encoding: .utf8)
        #expect(publicKey.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        let check = try await runPeer(openssl, ["rsa", "-check", "-noout", "-in", "server.key"], in: folder)
        #expect(check.status == 0 && check.output.contains("RSA key ok"), "\(check)")
    }

    /// The twin commands `keys` prints, which the chapter shows, pasted into bash in an empty
    /// folder: they run, and make certificates with the same names, extensions and issuer.
    @Test func theOpenSSLTwinsPasteIntoBashAndMakeTheSameFiles() async throws {
        let openssl = try requirePeer("openssl")
        let bash = try requirePeer("bash")
        let (folder, output) = try await makeKeys()
        defer { try? FileManager.default.removeItem(at: folder) }
        let twins = output.split(separator: "\n").compactMap { line in
            line.firstMatch(of: /^  \S+ +← (openssl .*)$/).map { String($0.1) }
        }
        #expect(twins.count == 10, "\(output)")
        let chapter = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Chapters/05-tls/README.md"), encoding: .utf8)
        for twin in twins {
            #expect(chapter.contains(" ← " + twin + "\n"), "the chapter's listing lacks \(twin)")
        }
        let twinFolder = try TemporaryDirectory()
        defer { twinFolder.remove() }
        _ = try twinFolder.write("twin.sh", (["set -e"] + twins).joined(separator: "\n") + "\n")
        let run = try await runPeer(bash, ["twin.sh"], in: twinFolder.url)
        try #require(run.status == 0, "the twin commands failed in bash: \(run)")
        for file in ["ca.crt", "server.crt", "client.crt"] {
            let fields = [
                "x509", "-noout", "-subject", "-issuer", "-ext",
                "subjectAltName,basicConstraints,keyUsage,extendedKeyUsage", "-in", file,
            ]
            let ours = try await runPeer(openssl, fields, in: folder)
            let theirs = try await runPeer(openssl, fields, in: twinFolder.url)
            #expect(ours.status == 0 && theirs.status == 0, "\(ours) \(theirs)")
            #expect(
                theirs.output == ours.output,
                "\(file): the twin made \(theirs.output), tls-certs \(ours.output)")
        }
        let verify = try await runPeer(
            openssl, ["verify", "-CAfile", "ca.crt", "-purpose", "sslserver", "server.crt"],
            in: twinFolder.url)
        #expect(verify.output == "server.crt: OK\n", "\(verify)")
    }

    @Test func privateKeysAreTheOwnersAloneAndAreNeverOverwrittenUnasked() async throws {
        let (folder, _) = try await makeKeys(bits: 1024)
        defer { try? FileManager.default.removeItem(at: folder) }
        func mode(_ name: String) throws -> Int {
            let attributes = try FileManager.default.attributesOfItem(
                atPath: folder.appendingPathComponent(name).path)
            return try #require(attributes[.posixPermissions] as? Int)
        }
        // As `openssl genrsa` writes them: read and write for the owner, nothing for anyone else.
        for key in ["server.key", "client.key", "ca.key"] { #expect(try mode(key) == 0o600, "\(key)") }
        #expect(try mode("server.crt") & 0o077 != 0, "certificates stay readable")
        let serverKey = try String(contentsOf: folder.appendingPathComponent("server.key"), encoding: .utf8)

        // A second run would replace the keys the certificates were made for: refused, by name.
        let again = try RunningProgram.built("tls-certs", ["keys", folder.path, "--bits", "1024"])
        #expect(try await again.waitForExit(seconds: 60) != 0)
        #expect(again.standardError.contains("already exists"), "\(again.standardError)")
        #expect(again.standardError.contains(folder.appendingPathComponent("ca.key").path))
        #expect(
            try String(contentsOf: folder.appendingPathComponent("server.key"), encoding: .utf8) == serverKey)

        // With --force they are replaced, and a key left world-readable by someone else is
        // replaced by a fresh 0600 file, not written into.
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o644], ofItemAtPath: folder.appendingPathComponent("client.key").path)
        let forced = try RunningProgram.built(
            "tls-certs", ["keys", folder.path, "--bits", "1024", "--force"])
        #expect(try await forced.waitForExit(seconds: 60) == 0, "\(forced.standardError)")
        #expect(
            try String(contentsOf: folder.appendingPathComponent("server.key"), encoding: .utf8) != serverKey)
        for key in ["server.key", "client.key", "ca.key"] { #expect(try mode(key) == 0o600, "\(key)") }
    }

    @Test func theServerAndTheClientAuthenticateEachOther() async throws {
        let (folder, _) = try await makeKeys()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try RunningProgram.built("tls-certs", ["server", "--keys", folder.path, "--port", "0"])
        defer { server.stop() }
        let listening = try await server.waitForOutput(containing: "listening on")
        let port = try #require(listening.firstMatch(of: /127\.0\.0\.1:(\d+)/).flatMap { Int($0.1) })
        let client = try RunningProgram.built(
            "tls-certs", ["client", "--keys", folder.path, "--port", "\(port)"])
        #expect(try await client.waitForExit() == 0, "\(client.standardError)")
        #expect(
            client.standardOutput == """
                client: localhost presented CN=localhost, issued by CN=NodeNet Book CA
                client: server authorized: true
                client: echo: 你好，TLS

                """)
        try await server.waitForOutput(containing: "secure connection from CN=student, authorized: true")
    }

    @Test func theManInTheMiddleIsRefused() async throws {
        let mitm = try RunningProgram.built("tls-certs", ["mitm"])
        #expect(try await mitm.waitForExit(seconds: 60) == 0, "\(mitm.standardError)")
        let output = mitm.standardOutput
        #expect(output.contains("client: refused the connection: SELF_SIGNED_CERT_IN_CHAIN"))
        // Only the careless client talks, and the interceptor reads it all.
        #expect(output.contains("client: authorized: false, why not: SELF_SIGNED_CERT_IN_CHAIN"))
        #expect(
            output.contains("interceptor: read the answer in the clear: \"the secret the client came for\""))
        let refused = try #require(output.range(of: "refused the connection"))
        let firstRead = try #require(output.range(of: "interceptor: read"))
        #expect(refused.lowerBound < firstRead.lowerBound, "the careful client gave the interceptor nothing")
    }

    @Test func theBooks1024BitKeysAreRefusedByTLS() async throws {
        let (folder, _) = try await makeKeys(bits: 1024)
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try RunningProgram.built("tls-certs", ["server", "--keys", folder.path, "--port", "0"])
        #expect(try await server.waitForExit() == 1)
        #expect(server.standardOutput.contains("ERR_SSL_EE_KEY_TOO_SMALL"), "\(server.standardOutput)")
    }

    @Test func theDemoRunsTheWholeChapter() async throws {
        let demo = try RunningProgram.built("tls-certs", ["demo"])
        #expect(try await demo.waitForExit(seconds: 60) == 0, "\(demo.standardError)")
        #expect(demo.standardOutput.contains("server: secure connection from CN=student, authorized: true"))
        #expect(demo.standardOutput.contains("client: echo: 你好，TLS"))
    }

    @Test func theNodeTwinsTalkToTheSwiftProgramsBothWays() async throws {
        let node = try requirePeer("node")
        let twins = repositoryRoot.appendingPathComponent("Chapters/05-tls/node")
        let (folder, _) = try await makeKeys()
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = """
            client: localhost presented CN=localhost, issued by CN=NodeNet Book CA
            client: server authorized: true
            client: echo: 你好，TLS

            """
        // Node's client against the Swift server.
        let swiftServer = try RunningProgram.built(
            "tls-certs", ["server", "--keys", folder.path, "--port", "0"])
        defer { swiftServer.stop() }
        let swiftPort = try #require(
            try await swiftServer.waitForOutput(containing: "listening on").firstMatch(of: /:(\d+)/).flatMap {
                Int($0.1)
            })
        let nodeClient = try RunningProgram(
            node, [twins.appendingPathComponent("client.js").path, folder.path, "\(swiftPort)"])
        #expect(try await nodeClient.waitForExit() == 0, "\(nodeClient.standardError)")
        #expect(nodeClient.standardOutput == expected)
        try await swiftServer.waitForOutput(containing: "secure connection from CN=student, authorized: true")
        // The Swift client against Node's server.
        let nodeServer = try RunningProgram(
            node, [twins.appendingPathComponent("server.js").path, folder.path, "0"])
        defer { nodeServer.stop() }
        let nodePort = try #require(
            try await nodeServer.waitForOutput(containing: "listening on").firstMatch(of: /:(\d+)/).flatMap {
                Int($0.1)
            })
        let swiftClient = try RunningProgram.built(
            "tls-certs", ["client", "--keys", folder.path, "--port", "\(nodePort)"])
        #expect(try await swiftClient.waitForExit() == 0, "\(swiftClient.standardError)")
        #expect(swiftClient.standardOutput == expected)
        let nodeLog = try await nodeServer.waitForOutput(containing: "TLS_AES")
        #expect(nodeLog.contains("server: secure connection from CN=student, authorized: true"))
        // Both servers print the same lines.
        #expect(
            nodeLog.split(separator: "\n").dropFirst()
                == swiftServer.standardOutput.split(separator: "\n").dropFirst())
    }
}
