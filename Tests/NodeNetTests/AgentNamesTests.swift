import Testing

@testable import NodeNet

/// The agent's remembered names (``AgentNames``): a request is named as if its TLS options were
/// hashed afresh, whatever came before it.
@Suite @NodeActor struct AgentNamesTests {
    private let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    /// Every trust field changed in turn, after the plain options were named and remembered:
    /// each gets a name of its own, the same as an uncached name, and the first options still get theirs.
    @Test func eachTrustFieldChangesTheNameEvenOnceRemembered() {
        var names = AgentNames()
        let plain = TLSOptions(ca: [pem])
        var variants: [TLSOptions] = []
        for change in 0..<10 {
            var options = plain
            switch change {
            case 0: options.ca = [pem, pem]
            case 1: options.ca = nil
            case 2: options.rejectUnauthorized = false
            case 3: options.servername = "other"
            case 4: options.cert = pem
            case 5: options.key = "key"
            case 6: options.minVersion = "TLSv1.3"
            case 7: options.alpnProtocols = ["http/1.1"]
            case 8: options.checkServerIdentity = { _, _ in nil }
            default: options.ciphers = "DEFAULT@SECLEVEL=1"
            }
            variants.append(options)
        }
        let first = names.name(host: "localhost", port: 8443, tls: plain)
        #expect(first == Agent.name(host: "localhost", port: 8443, tls: plain))
        var seen: Set<String> = [first]
        for options in variants {
            let name = names.name(host: "localhost", port: 8443, tls: options)
            #expect(name == Agent.name(host: "localhost", port: 8443, tls: options))
            #expect(seen.insert(name).inserted, "a changed trust setting shares a name: \(name)")
        }
        #expect(names.name(host: "localhost", port: 8443, tls: plain) == first)
        #expect(names.name(host: "localhost", port: 8444, tls: plain) != first)
        #expect(names.name(host: "127.0.0.1", port: 8443, tls: plain) != first)
        #expect(names.name(host: "localhost", port: 8443, tls: nil) == "localhost:8443:")
    }

    /// Options read afresh for each request (the same text in new strings) share the name, and
    /// more option sets than are remembered are still each named right.
    @Test func equalOptionsShareANameAndForgottenOnesAreNamedAgain() {
        var names = AgentNames()
        let again = TLSOptions(ca: [String(decoding: Array(pem.utf8), as: UTF8.self)])
        #expect(
            names.name(host: "h", port: 1, tls: TLSOptions(ca: [pem]))
                == names.name(host: "h", port: 1, tls: again))
        let many = (0...AgentNames.kept).map { TLSOptions(servername: "s\($0)") }
        let named = many.map { names.name(host: "h", port: 1, tls: $0) }
        #expect(Set(named).count == many.count)
        for (options, name) in zip(many, named) {
            #expect(names.name(host: "h", port: 1, tls: options) == name)
        }
    }
}
