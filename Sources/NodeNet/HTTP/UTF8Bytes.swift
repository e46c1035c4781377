extension StringProtocol {
    /// Runs `body` over the UTF-8 bytes where they lie (a native string's always lie together),
    /// or over a copy of them where they do not: how the header checks, name comparisons and head
    /// lines read a string without copying it.
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        utf8.withContiguousStorageIfAvailable(body) ?? Array(utf8).withUnsafeBufferPointer(body)
    }
}
