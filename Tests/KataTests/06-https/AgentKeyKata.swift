import Foundation
import Kata
import NodeNet
import TestSupport
import Testing

/// Your names beside the ones Node 20's `https.Agent#getName` gives (seen on v20.20.2, and asked
/// of the installed `node`), then your names used as Node uses them: one keep-alive agent per
/// name, in front of a real HTTPS server with a self-signed certificate.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct AgentKeyKata {
    /// A request's options: where it goes, its TLS options, and how Node's options say the same.
    struct Case: Sendable {
        let host: String
        let port: Int
        let tls: TLSOptions?
        /// The same options as a JavaScript object literal for `getName`.
        let node: String
        /// What Node 20 printed for them.
        let expected: String
        /// The options in words, for a failure message.
        let said: String
    }

    static let cases: [Case] = [
        Case(
            host: "localhost", port: 443, tls: nil, node: "{host: 'localhost', port: 443}",
            expected: "localhost:443:::::::::::::::::::::", said: "localhost:443 with Node's defaults"),
        Case(
            host: "h", port: 1, tls: TLSOptions(rejectUnauthorized: false),
            node: "{host: 'h', port: 1, rejectUnauthorized: false}",
            expected: "h:1::::::::false:::::::::::::", said: "h:1 with rejectUnauthorized: false"),
        Case(
            host: "example.test", port: 8443,
            tls: TLSOptions(ca: ["CA1", "CA2"], servername: "example.test"),
            node: "{host: 'example.test', port: 8443, ca: ['CA1', 'CA2'], servername: 'example.test'}",
            expected: "example.test:8443::CA1,CA2:::::::::::::::::::",
            said: "example.test:8443 with ca [\"CA1\", \"CA2\"] and servername example.test (the host itself)"
        ),
        Case(
            host: "127.0.0.1", port: 8443,
            tls: TLSOptions(
                key: "K", cert: "C", minVersion: "TLSv1.3", maxVersion: "TLSv1.2", ciphers: "HIGH",
                servername: "other.test"),
            node:
                "{host: '127.0.0.1', port: 8443, key: 'K', cert: 'C', ciphers: 'HIGH', servername: 'other.test', minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2'}",
            expected: "127.0.0.1:8443:::C::HIGH:K:::other.test:TLSv1.3:TLSv1.2::::::::::",
            said:
                "127.0.0.1:8443 with key K, cert C, ciphers HIGH, servername other.test, minVersion TLSv1.3, maxVersion TLSv1.2"
        ),
    ]

    private func name(_ example: Case) -> String {
        var options = RequestOptions(host: example.host, port: example.port)
        options.tls = example.tls
        return httpsAgentName(options)
    }

    @Test func namesAreNodes() {
        for example in Self.cases {
            let yours = name(example)
            #expect(
                yours == example.expected,
                "for \(example.said), Node's name is \(example.expected.debugDescription); yours is \(yours.debugDescription)"
            )
        }
    }

    @Test func theInstalledNodeAgrees() async throws {
        let node = try requirePeer("node")
        let script = Self.cases.map { "console.log(agent.getName(\($0.node)))" }.joined(separator: "\n")
        let folder = FileManager.default.temporaryDirectory
        let run = try await runPeer(
            node, ["-e", "const agent = new (require('https').Agent)()\n" + script], in: folder)
        let names = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, example) in Self.cases.enumerated() {
            let nodes = index < names.count ? names[index] : "nothing (\(run))"
            let yours = name(example)
            #expect(
                yours == nodes,
                "for \(example.said), node says \(nodes.debugDescription); yours is \(yours.debugDescription)"
            )
        }
    }

    /// Requests whose agents are picked by your names: one keep-alive agent per name, as Node's
    /// agent keeps one pool per name.
    @NodeActor final class AgentsByName {
        var agents: [String: Agent] = [:]

        func fetch(_ port: Int, _ tls: TLSOptions) async throws -> Result<FetchedResponse, NodeError> {
            var options = RequestOptions(host: "localhost", port: port, path: "/")
            options.tls = tls
            let name = httpsAgentName(options)
            let agent = agents[name] ?? Agent(keepAlive: true, maxSockets: 1)
            agents[name] = agent
            options.agent = agent
            return try await fetchHTTPS(options)
        }

        func destroy() { for agent in agents.values { agent.destroy() } }
    }

    @Test func aVerifyingRequestNeverGetsAnUnverifiedConnection() async throws {
        // Your names first: the same name means the same pool, whatever the agent does inside.
        let variants: [(String, TLSOptions)] = [
            ("rejectUnauthorized: false", TLSOptions(rejectUnauthorized: false)),
            ("Node's defaults (verify against the system's CAs)", TLSOptions()),
            ("ca: [the test CA]", TLSOptions(ca: ["the test CA's PEM"])),
        ]
        var seen: [String: String] = [:]
        for (said, tls) in variants {
            var options = RequestOptions(host: "localhost", port: 8443, path: "/")
            options.tls = tls
            let name = httpsAgentName(options)
            if let other = seen[name] {
                Issue.record(
                    "a request with \(said) and one with \(other) got the same name \(name.debugDescription): one pool would lend a connection checked one way to a request that wants another"
                )
                return
            }
            seen[name] = said
        }
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await listeningHTTPSServer(
            Identity(key: certs.selfSignedKey, cert: certs.selfSignedCert))
        defer { server.close() }
        let pool = AgentsByName()
        defer { pool.destroy() }
        guard case .success = try await pool.fetch(port, TLSOptions(rejectUnauthorized: false)) else {
            Issue.record(
                "a request with rejectUnauthorized: false to a self-signed server should be answered; it failed"
            )
            return
        }
        let verifying = try await pool.fetch(port, TLSOptions())
        switch verifying {
        case .success(let answer):
            Issue.record(
                "a request that verifies the server (Node's default) to a self-signed server was answered \(answer.status): it got the connection a request with rejectUnauthorized: false had left in the pool, because both had the same name. Put rejectUnauthorized into the name"
            )
        case .failure(let error):
            #expect(
                error.code == "DEPTH_ZERO_SELF_SIGNED_CERT",
                "a verifying request to a self-signed server must fail with DEPTH_ZERO_SELF_SIGNED_CERT; it failed with \(error.code)"
            )
        }
    }

    @Test func equalOptionsShareTheConnection() async throws {
        let certs = try await TestCertificates.forTest()
        let (server, port) = try await listeningHTTPSServer(
            Identity(key: certs.serverKey, cert: certs.serverCert))
        defer { server.close() }
        var handshakes = 0
        server.on(.secureConnection) { _ in handshakes += 1 }
        let pool = AgentsByName()
        defer { pool.destroy() }
        for _ in 1...3 {
            guard case .success = try await pool.fetch(port, TLSOptions(ca: [certs.caCert])) else {
                Issue.record("a request trusting the test CA should be answered; it failed")
                return
            }
        }
        #expect(
            handshakes == 1,
            "three requests with the same options must share one kept-alive connection (one name, one agent); the server saw \(handshakes) TLS handshakes"
        )
    }
}
