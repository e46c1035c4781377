import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension NodeError {
    /// Node's error for a failed system call, from whatever SwiftNIO reported.
    ///
    /// `listen` errors read `listen EADDRINUSE: address already in use :::3000`; the others
    /// `connect ECONNREFUSED 127.0.0.1:1`, or `read ECONNRESET` with no address.
    init(_ error: any Error, syscall: String, address: String? = nil) {
        if let nodeError = error as? NodeError {
            self = nodeError
            return
        }
        if let failure = error as? NIOConnectionError, failure.connectionErrors.isEmpty,
            failure.dnsAError != nil || failure.dnsAAAAError != nil
        {
            // The name did not resolve: Node reports the resolver's call, with the host alone.
            self.init(code: .enotfound, message: "getaddrinfo ENOTFOUND \(failure.host)")
            return
        }
        guard let errno = Self.errno(of: error) else {
            self.init(code: .socket, message: "\(syscall) failed: \(error)")
            return
        }
        if syscall == "listen" {
            let detail = ": " + Self.explanation(errno) + (address.map { " " + $0 } ?? "")
            self.init(errno: errno, syscall: syscall, detail: detail)
        } else {
            self.init(errno: errno, syscall: syscall, detail: address)
        }
    }

    private static func errno(of error: any Error) -> Int32? {
        switch error {
        case let error as IOError: return error.errnoCode
        case let error as NIOConnectionError:
            return error.connectionErrors.lazy.compactMap { errno(of: $0.error) }.first
        case ChannelError.connectTimeout: return ETIMEDOUT
        case ChannelError.writeMessageTooLarge: return EMSGSIZE  // NIO's name for the kernel's EMSGSIZE.
        default: return nil
        }
    }
}
