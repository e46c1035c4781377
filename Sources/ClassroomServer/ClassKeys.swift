import Foundation
import NodeNet

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The class's certificates (chapter 5): a class CA, made once and kept, and a server certificate
/// it signed for every address the students may use to reach this machine.
///
/// The steps are those of `tls-certs keys`: a key pair, a self-signed CA, a signing request with
/// the subjectAltNames, the CA's signature. The CA's fingerprint is what the teacher reads out;
/// a server certificate that no longer covers the machine's addresses (a laptop on another
/// network) is signed anew by the same CA, so the fingerprint the students pinned stays good.
public struct ClassKeys: Sendable {
    /// The class CA's certificate (PEM), served at `/ca.pem`.
    public let caPEM: String
    /// The CA's SHA-256 fingerprint in Node's `fingerprint256` form (`AB:CD:…`).
    public let fingerprint: String
    /// The server's key and certificate, for `https.createServer`.
    public let server: TLSOptions
    /// The names and addresses the server certificate is valid for.
    public let altNames: [String]

    /// Reads the keys under `folder`, making what is missing.
    public static func inFolder(_ folder: URL, hosts: [String] = ClassKeys.localAddresses()) throws
        -> ClassKeys
    {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func file(_ name: String) -> URL { folder.appendingPathComponent(name) }
        func read(_ name: String) -> String? { try? String(contentsOf: file(name), encoding: .utf8) }

        let ca: CertificateAuthority
        if let keyPEM = read("ca.key"), let certPEM = read("ca.crt") {
            ca = try CertificateAuthority(
                certificate: X509Certificate(pem: certPEM), privateKey: crypto.createPrivateKey(keyPEM))
        } else {
            // excerpt: ca
            let caKey = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
            ca = try CertificateAuthority.selfSigned(
                privateKey: caKey, subject: [("CN", "NodeNet Classroom CA")], validity: .days(365))
            // end excerpt
            try writePrivate(file("ca.key"), caKey.export(type: .pkcs8))
            try Data(ca.certificate.pem.utf8).write(to: file("ca.crt"))
        }
        let altNames = ["DNS:localhost"] + hosts.map { "IP:\($0)" }
        if let keyPEM = read("server.key"), let certPEM = read("server.crt"),
            let existing = try? X509Certificate(pem: certPEM), existing.checkIssued(ca.certificate),
            covers(existing, altNames)
        {
            return try ClassKeys(ca: ca, server: TLSOptions(key: keyPEM, cert: certPEM), altNames: altNames)
        }
        // excerpt: server-cert
        let key = try crypto.generateKeyPairSync(.ec(namedCurve: "prime256v1")).privateKey
        let request = try CertificateSigningRequest(
            privateKey: key, subject: [("CN", "localhost")], subjectAltNames: altNames)
        let certificate = try ca.sign(request, validity: .days(365), extendedKeyUsage: [.serverAuth])
        // end excerpt
        let keyPEM = try key.export(type: .pkcs8)
        try writePrivate(file("server.key"), keyPEM)
        try Data(certificate.pem.utf8).write(to: file("server.crt"))
        return try ClassKeys(
            ca: ca, server: TLSOptions(key: keyPEM, cert: certificate.pem), altNames: altNames)
    }

    private init(ca: CertificateAuthority, server: TLSOptions, altNames: [String]) throws {
        caPEM = try ca.certificate.pem
        fingerprint = ca.certificate.fingerprint256
        self.server = server
        self.altNames = altNames
    }

    /// Whether `certificate` names every one of `altNames` (Node's `DNS:a, IP Address:b` text).
    private static func covers(_ certificate: X509Certificate, _ altNames: [String]) -> Bool {
        let text = certificate.subjectAltName ?? ""
        return altNames.allSatisfy { name in
            text.contains(name.hasPrefix("IP:") ? "IP Address:" + name.dropFirst(3) : name)
        }
    }

    /// Writes a private key readable by its owner alone from the moment it exists (mode 0600).
    private static func writePrivate(_ file: URL, _ text: String) throws {
        unlink(file.path)
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// 127.0.0.1 and this machine's IPv4 addresses on its network interfaces (the LAN the
    /// students share), from `getifaddrs`.
    public static func localAddresses() -> [String] {
        var addresses = ["127.0.0.1"]
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return addresses }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET)
            else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(MemoryLayout<sockaddr_in>.size)
            guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
            else {
                continue
            }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !addresses.contains(text) { addresses.append(text) }
        }
        return addresses
    }
}
