import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A UDP client on bare POSIX sockets, sharing no code with NodeNet; receives time out.
final class PlainUDPClient {
    private let fd: Int32

    init(timeoutSeconds: Int = 5) {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends `text` to 127.0.0.1:`port` and returns the first datagram that comes back, if any.
    func exchange(_ text: String, port: Int) -> String? {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bytes = Array(text.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                bytes.withUnsafeBytes {
                    sendto(fd, $0.baseAddress, $0.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var reply = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &reply, reply.count, 0)
        return count < 0 ? nil : String(decoding: reply[0..<count], as: UTF8.self)
    }

    deinit { close(fd) }
}
