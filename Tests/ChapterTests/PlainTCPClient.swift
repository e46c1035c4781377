import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking TCP client on bare POSIX sockets: an independent witness for the chapter programs,
/// sharing no code with NodeNet. Every read has a timeout, so a test cannot hang on it.
final class PlainTCPClient {
    private let fd: Int32
    private var closed = false

    init(port: Int, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ text: String) {
        send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Reads until `count` bytes have arrived, the peer closes, or the timeout passes.
    func receive(_ count: Int) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while received.count < count {
            let n = recv(fd, &chunk, min(chunk.count, count - received.count), 0)
            if n <= 0 { break }
            received += chunk[0..<n]
        }
        return received
    }

    /// Whether the peer has closed its side (recv returns 0) before the timeout.
    func peerClosed() -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    /// Sends FIN: we will write no more.
    func finishWriting() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Closes with RST instead of FIN (SO_LINGER with a zero timeout): what a crashed or
    /// impatient client does. The server sees ECONNRESET.
    func reset() {
        var abort = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, socklen_t(MemoryLayout<linger>.size))
        shutdown(fd, Int32(SHUT_RD))
        close(fd)
        closed = true
    }

    deinit { if !closed { close(fd) } }
}
