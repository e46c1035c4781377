import Foundation
import Synchronization
import Testing

/// Keys and certificates for TLS tests, made once per test run by the `openssl` command line in
/// a temporary folder (never committed): a CA, a server certificate for `localhost` and
/// `127.0.0.1` signed by it, a client certificate, and a second CA that signed nothing here.
public struct TestCertificates: Sendable {
    /// PEM text of each file.
    public let caCert, serverKey, serverCert, clientKey, clientCert, otherCACert, selfSignedKey,
        selfSignedCert: String
    /// The folder holding the files (`ca.crt`, `server.key`, …), for command-line peers.
    public let folder: URL

    /// The certificates, or the reason they could not be made (`openssl` missing or failing),
    /// made once, on a thread of their own.
    private static let shared = MadeOnAThread { Result { () throws(CertificateError) in try make() } }

    /// Why the certificates could not be made.
    public struct CertificateError: Error, CustomStringConvertible {
        /// What failed.
        public let description: String
    }

    private static func make() throws(CertificateError) -> TestCertificates {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nodenet-tls-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let steps: [[String]] = [
            ["req", "-x509"] + ec + [
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=NodeNet Test CA",
            ],
            ["req", "-x509"] + ec + [
                "-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "2", "-subj", "/CN=Other CA",
            ],
            ["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"],
            [
                "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-out", "server.crt", "-extfile", "server.ext",
            ],
            ["req"] + ec + ["-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=student"],
            [
                "x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-out", "client.crt",
            ],
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "self.key", "-out", "self.crt", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
        ]
        do {
            try Data("subjectAltName=DNS:localhost,IP:127.0.0.1\n".utf8).write(
                to: folder.appendingPathComponent("server.ext"))
        } catch {
            throw CertificateError(description: "cannot write in \(folder.path): \(error)")
        }
        for step in steps {
            let exited = DispatchSemaphore(value: 0)
            let status = Mutex<Int32>(0)
            do {
                _ = try SpawnedChild(
                    "/usr/bin/env", ["openssl"] + step, environment: ProcessInfo.processInfo.environment,
                    directory: folder
                ) { code in
                    status.withLock { $0 = code }
                    exited.signal()
                }
            } catch {
                throw CertificateError(description: "openssl did not start: \(error)")
            }
            exited.wait()
            guard status.withLock({ $0 }) == 0 else {
                throw CertificateError(description: "openssl \(step.joined(separator: " ")) failed")
            }
        }
        func read(_ name: String) throws(CertificateError) -> String {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            else {
                throw CertificateError(description: "\(name) was not written")
            }
            return text
        }
        return TestCertificates(
            caCert: try read("ca.crt"), serverKey: try read("server.key"), serverCert: try read("server.crt"),
            clientKey: try read("client.key"), clientCert: try read("client.crt"),
            otherCACert: try read("other-ca.crt"),
            selfSignedKey: try read("self.key"), selfSignedCert: try read("self.crt"), folder: folder)
    }
}

extension TestCertificates {
    /// The shared certificates for a test; without them (no `openssl`) the test is skipped, or
    /// fails under CI, which installs openssl.
    public static func forTest() async throws -> TestCertificates {
        switch await shared.value {
        case .success(let certificates): return certificates
        case .failure(let error):
            if ProcessInfo.processInfo.environment["CI"] == "true" { throw error }
            try Test.cancel("no test certificates (is openssl installed?): \(error)")
        }
    }
}

/// A value made once by a blocking `make` on a thread of its own, for async callers to await.
/// Running openssl on the event loop stalls every other test in this process; running it on the
/// cooperative pool (two threads on two cores) starves every task and Dispatch's global queues.
final class MadeOnAThread<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Value?
    private var waiting: [CheckedContinuation<Value, Never>] = []

    init(_ make: @escaping @Sendable () -> Value) {
        Thread { [self] in
            let value = make()
            let waiters = lock.withLock {
                made = value
                defer { waiting = [] }
                return waiting
            }
            for waiter in waiters { waiter.resume(returning: value) }
        }.start()
    }

    /// The value, once it is made.
    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                let now: Value? = lock.withLock {
                    if let made { return made }
                    waiting.append(continuation)
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        }
    }
}
