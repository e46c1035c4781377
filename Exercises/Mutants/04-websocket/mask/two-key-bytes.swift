// Mutant: cycles through only the first two bytes of the 4-byte key.
/// §4.3 (帧格式): a client masks the payload of every frame it sends (RFC 6455 §5.3), so that
/// proxies that do not know WebSocket cannot mistake its bytes for HTTP.
///
/// Byte `i` of the payload is XORed with byte `i % 4` of the 4-byte key. XORing twice with the
/// same byte gives the byte back, so the same function unmasks what the server receives.
public func mask(_ payload: [UInt8], with key: [UInt8]) -> [UInt8] {
    payload.enumerated().map { $0.element ^ key[$0.offset % 2] }
}
