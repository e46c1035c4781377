import COpenSSL

// The plumbing every key and certificate type shares: OpenSSL reads and writes PEM, prints names
// and times through BIOs (its I/O streams), and encodes DER into caller-provided memory. Here they
// are memory BIOs and Swift arrays, so nothing touches a file or a terminal.

/// Runs `body` with a read-only memory BIO over `bytes`, for OpenSSL's PEM and DER readers.
func withReadBIO<Result>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> Result) throws -> Result {
    // OpenSSL's error queue belongs to the thread: start from an empty one, so that an error
    // reported here is this read's, not one an earlier call on this thread left behind.
    ERR_clear_error()
    return try bytes.withUnsafeBytes { raw in
        // The BIO points into `raw` without copying, so it must not outlive this closure.
        let bio = try checkOpenSSL(BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)), "BIO_new_mem_buf")
        defer { BIO_free(bio) }
        return try body(bio)
    }
}

/// The bytes `write` puts into a fresh memory BIO; throws OpenSSL's error when `write` says it failed.
func bytesWritten(_ operation: String, _ write: (OpaquePointer) -> Bool) throws -> [UInt8] {
    let bio = try checkOpenSSL(BIO_new(BIO_s_mem()), "BIO_new")
    defer { BIO_free(bio) }
    guard write(bio) else { throw NodeError.openSSL(operation) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = BIO_read(bio, &chunk, Int32(chunk.count))
        guard count > 0 else { break }
        bytes += chunk.prefix(Int(count))
    }
    return bytes
}

/// The UTF-8 text `write` puts into a memory BIO (PEM blocks, printed names and times).
func textWritten(_ operation: String, _ write: (OpaquePointer) -> Bool) throws -> String {
    String(decoding: try bytesWritten(operation, write), as: UTF8.self)
}

/// Printed text for a read-only property (a name, a time): OpenSSL can only fail there when it
/// cannot allocate, and then the property is empty rather than a crash.
func printed(_ write: (OpaquePointer) -> Bool) -> String {
    do {
        return try textWritten("print", write)
    } catch {
        return ""
    }
}

/// DER from one of OpenSSL's `i2d_…` encoders, which report the length when given no output and
/// then write into memory the caller owns (so no OpenSSL allocation has to be freed).
func derEncoded(
    _ operation: String, _ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32
) throws -> [UInt8] {
    let length = encode(nil)
    guard length > 0 else { throw NodeError.openSSL(operation) }
    var bytes = [UInt8](repeating: 0, count: Int(length))
    let written = bytes.withUnsafeMutableBufferPointer { buffer in
        var cursor = buffer.baseAddress
        return encode(&cursor)
    }
    guard written == length else { throw NodeError.openSSL(operation) }
    return bytes
}

/// Takes a C string OpenSSL allocated for us (`BN_bn2hex`, a matched host name), frees it.
func takeOpenSSLString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    defer { CRYPTO_free(pointer, #fileID, #line) }
    return String(cString: pointer)
}

/// The PEM password callback for input that must never ask for one: OpenSSL's default callback
/// would prompt on the terminal, which a server must never do. Returning -1 fails the read instead.
func refusePassphrase(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32,
    _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    -1
}

/// A C string that lives as long as the program, for OpenSSL calls that keep the pointer instead
/// of copying the text (the encoder and decoder contexts keep their type and structure names).
/// A Swift `String` argument is a temporary copy, gone when the call returns.
func staticCString(_ text: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// Upper-case hex bytes joined by colons, as Node prints fingerprints.
func colonHex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { Encoding.hexByte($0).uppercased() }.joined(separator: ":")
}
