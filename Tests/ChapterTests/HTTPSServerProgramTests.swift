import Foundation
import TestSupport
import Testing

/// `https-server` as a user runs it, with curl as the client the chapter shows.
@Suite(.timeLimit(.minutes(2)))
struct HTTPSServerProgramTests {
    @Test func curlFetchesWithTheCA() async throws {
        let curl = try requirePeer("curl")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("https-server-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = try RunningProgram.built("tls-certs", ["keys", folder.path])
        #expect(try await keys.waitForExit(seconds: 60) == 0)
        let server = try RunningProgram.built("https-server", ["--keys", folder.path, "--port", "0"])
        defer { server.stop() }
        let output = try await server.waitForOutput(containing: "HTTPS server on")
        let port = try #require(output.firstMatch(of: /localhost:(\d+)/).flatMap { Int($0.1) })
        let url = "https://localhost:\(port)/"
        let resolve = [
            "--resolve", "localhost:\(port):127.0.0.1", "--silent", "--show-error", "--max-time", "10",
        ]
        let trusted = try await runPeer(curl, resolve + ["--cacert", "ca.crt", url], in: folder)
        #expect(trusted.status == 0, "\(trusted)")
        #expect(trusted.output == "hello over HTTPS (TLSv1.3, TLS_AES_256_GCM_SHA384)\n")
        // Without our CA, curl refuses the certificate (exit 60), as a browser warns.
        let untrusted = try await runPeer(curl, resolve + [url], in: folder)
        #expect(untrusted.status == 60, "\(untrusted)")
        try await server.waitForOutput(containing: "a client's handshake failed")
        let client = try RunningProgram.built(
            "https-server", ["client", "--keys", folder.path, "--url", url + "swift"])
        #expect(try await client.waitForExit() == 0, "\(client.standardError)")
        #expect(client.standardOutput.contains("client: 200 from CN=localhost, issued by CN=NodeNet Book CA"))
    }

    @Test func theDemoFetchesAndIsRefusedWithoutTheCA() async throws {
        let demo = try RunningProgram.built("https-server", ["demo"])
        #expect(try await demo.waitForExit() == 0, "\(demo.standardError)")
        #expect(demo.standardOutput.contains("client: hello over HTTPS (TLSv1.3"))
        #expect(demo.standardOutput.contains("client: UNABLE_TO_VERIFY_LEAF_SIGNATURE"))
    }

    @Test func theNodeTwinsTalkToTheSwiftProgramsBothWays() async throws {
        let node = try requirePeer("node")
        let twins = repositoryRoot.appendingPathComponent("Chapters/06-https/node")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("https-twins-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = try RunningProgram.built("tls-certs", ["keys", folder.path])
        #expect(try await keys.waitForExit(seconds: 60) == 0)
        let expected = """
            client: 200 from CN=localhost, issued by CN=NodeNet Book CA
            client: hello over HTTPS (TLSv1.3, TLS_AES_256_GCM_SHA384)

            """
        let swiftServer = try RunningProgram.built("https-server", ["--keys", folder.path, "--port", "0"])
        defer { swiftServer.stop() }
        let swiftPort = try #require(
            try await swiftServer.waitForOutput(containing: "HTTPS server on").firstMatch(of: /:(\d+)/)
                .flatMap { Int($0.1) })
        let nodeClient = try RunningProgram(
            node,
            [
                twins.appendingPathComponent("client.js").path, folder.path,
                "https://localhost:\(swiftPort)/twin",
            ])
        #expect(try await nodeClient.waitForExit() == 0, "\(nodeClient.standardError)")
        #expect(nodeClient.standardOutput == expected)
        let nodeServer = try RunningProgram(
            node, [twins.appendingPathComponent("server.js").path, folder.path, "0"])
        defer { nodeServer.stop() }
        let nodePort = try #require(
            try await nodeServer.waitForOutput(containing: "HTTPS server on").firstMatch(of: /:(\d+)/).flatMap
            { Int($0.1) })
        let swiftClient = try RunningProgram.built(
            "https-server", ["client", "--keys", folder.path, "--url", "https://localhost:\(nodePort)/twin"])
        #expect(try await swiftClient.waitForExit() == 0, "\(swiftClient.standardError)")
        #expect(swiftClient.standardOutput == expected)
        let nodeLog = try await nodeServer.waitForOutput(containing: "GET /twin")
        let swiftLog = try await swiftServer.waitForOutput(containing: "GET /twin")
        #expect(nodeLog.contains("GET /twin over TLSv1.3, TLS_AES_256_GCM_SHA384"))
        #expect(swiftLog.contains("GET /twin over TLSv1.3, TLS_AES_256_GCM_SHA384"))
    }
}
