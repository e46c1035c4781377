import Foundation
import NodeNet
import TestSupport
import Testing

/// The subject most test certificates carry: a Chinese organization (UTF-8 must survive) and a
/// comma (RFC 2253 escaping must match Node's).
let serverSubject: DistinguishedName = [("C", "CN"), ("O", "深入浅出, Node"), ("CN", "localhost")]

/// The names a local test server answers to.
let localNames = ["DNS:localhost", "IP:127.0.0.1"]

/// A P-256 private key: fast to make, so tests that do not care about RSA use it.
func ecKey() throws -> KeyObject {
    try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
}

/// A root CA named `name`, with an EC key unless one is given.
func makeCA(_ name: String = "NodeNet Test CA", key: KeyObject? = nil) throws -> CertificateAuthority {
    try CertificateAuthority.selfSigned(
        privateKey: key ?? ecKey(), subject: [("C", "CN"), ("O", "NodeNet"), ("CN", name)],
        validity: .days(30))
}

/// A certificate for `key` (a new EC key unless given) signed by `ca`.
func makeLeaf(
    _ ca: CertificateAuthority, key: KeyObject? = nil, subject: DistinguishedName = serverSubject,
    names: [String] = localNames, validity: CertificateValidity = .days(30), isCA: Bool = false
) throws -> X509Certificate {
    let request = try CertificateSigningRequest(
        privateKey: key ?? ecKey(), subject: subject, subjectAltNames: names)
    return try ca.sign(request, validity: validity, isCA: isCA)
}

/// Runs `openssl` in `folder` and expects it to succeed; returns what it printed.
@discardableResult
func openssl(_ arguments: String..., in folder: TemporaryDirectory) async throws -> PeerRun {
    let run = try await runPeer(try requirePeer("openssl"), arguments, in: folder.url)
    #expect(run.status == 0, "openssl \(arguments.joined(separator: " ")): \(run)")
    return run
}

/// Runs `node -e script` in `folder` and returns its stdout; a failure records node's stderr.
func node(_ script: String, in folder: TemporaryDirectory) async throws -> String {
    let run = try await runPeer(try requirePeer("node"), ["-e", script], in: folder.url)
    #expect(run.status == 0, "node: \(run)")
    return run.output
}

/// `body` run with a new temporary folder, removed afterwards even when the test fails.
func withFolder<Result>(_ body: (TemporaryDirectory) async throws -> Result) async throws -> Result {
    let folder = try TemporaryDirectory()
    defer { folder.remove() }
    return try await body(folder)
}
