import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes the files of `tls-certs keys`. A private key is made readable by its owner alone
/// (mode 0600, as `openssl genrsa` writes it) from the moment it exists: the file is created with
/// that mode, never widened and narrowed after, so there is no instant at which another user could
/// open it. An existing key is never overwritten unless `force` says so.
struct KeyFileWriter {
    let folder: URL
    let force: Bool

    /// A key that is already there, and `--force` was not given.
    struct KeyExists: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "\(path) already exists: not overwriting a private key (pass --force to replace it)"
        }
    }

    /// Refuses before anything is written if any of `keys` is there already (without `force`).
    func checkNoneExist(_ keys: [String]) throws {
        guard !force else { return }
        for name in keys {
            let path = folder.appendingPathComponent(name).path
            var status = stat()
            if lstat(path, &status) == 0 { throw KeyExists(path: path) }
        }
    }

    /// Writes a private key: mode 0600, created fresh (an existing file, or a symbolic link
    /// planted in its place, is removed first with `force`, else refused).
    func writePrivateKey(_ name: String, _ text: String) throws {
        let path = folder.appendingPathComponent(name).path
        if force { unlink(path) }
        // O_EXCL: fail rather than open what is there, a file or a link to one.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw KeyExists(path: path) }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            offset += written
        }
    }

    /// Writes a public file (a certificate, a public key), replacing any file of that name.
    func writePublic(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }
}
