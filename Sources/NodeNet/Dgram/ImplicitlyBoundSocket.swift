#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system socket that `addMembership` or `dropMembership` makes when called before `bind`.
///
/// libuv binds such a socket on the spot to 0.0.0.0 and a free port, with SO_REUSEADDR
/// (`uv__udp_maybe_deferred_bind`), so that it can join the group. Node's JavaScript still thinks
/// the socket unbound: no `listening`, no `message`, and a later `bind()` (or a `send()`, which
/// binds first) fails with EINVAL, since the system socket is bound already.
struct ImplicitlyBoundSocket {
    let descriptor: Int32

    /// A UDP/IPv4 socket bound to 0.0.0.0, port 0; throws the errno of the call that failed.
    init(syscall: String) throws(NodeError) {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else { throw NodeError(errno: errno, syscall: syscall) }
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_ANY
        do throws(NodeError) {
            try setOption(level: SOL_SOCKET, SO_REUSEADDR, Int32(1), syscall: syscall)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            guard bound else { throw NodeError(errno: errno, syscall: syscall) }
        } catch {
            close()
            throw error
        }
    }

    /// Sets a socket option to `value` (an `Int32`, an `in_addr`, an `ip_mreq`…).
    func setOption<Value>(level: Int32, _ name: Int32, _ value: Value, syscall: String) throws(NodeError) {
        let status = withUnsafePointer(to: value) {
            setsockopt(descriptor, level, name, $0, socklen_t(MemoryLayout<Value>.size))
        }
        guard status == 0 else { throw NodeError(errno: errno, syscall: syscall) }
    }

    /// The address the system chose: 0.0.0.0 and the free port.
    func address() -> AddressInfo? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let found = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) == 0 }
        }
        guard found else { return nil }
        return AddressInfo(address: "0.0.0.0", family: "IPv4", port: Int(UInt16(bigEndian: address.sin_port)))
    }

    func close() {
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }
}
