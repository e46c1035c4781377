import Foundation

/// Has the `openssl` command line read back what Swift wrote, as the book's readers would:
/// the keys are sound, the request's signature holds, and the CA's signatures verify.
func checkWithOpenSSL(_ folder: URL) {
    guard let openssl = findOnPath("openssl") else {
        print("\n(openssl is not installed here: nothing to check the files with)")
        return
    }
    print("\nopenssl reads them back:")
    let checks: [[String]] = [
        ["rsa", "-check", "-noout", "-in", "server.key"],
        ["pkey", "-pubin", "-noout", "-in", "server.pem"],
        ["verify", "-CAfile", "ca.crt", "server.crt", "client.crt"],
    ]
    for arguments in checks {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardOutput = output
        process.standardError = output
        guard (try? process.run()) != nil else { continue }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let said = text.split(separator: "\n").joined(separator: "; ")
        let verdict = process.terminationStatus == 0 ? "ok" : "FAILED"
        print("  openssl \(arguments.joined(separator: " ")) → \(verdict)\(said.isEmpty ? "" : ": \(said)")")
    }
}

/// The full path of `program` on PATH, if it is there.
func findOnPath(_ program: String) -> String? {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/\(program)" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
