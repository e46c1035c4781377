import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Socket {
    /// Asks the kernel for send and receive buffers of about `bytes` each (`SO_SNDBUF`,
    /// `SO_RCVBUF`; Linux doubles the number). Node has no such call for TCP; the tests use it so
    /// that a peer that never reads fills loopback's buffers with kilobytes, not megabytes.
    @_spi(Testing) public func setKernelBufferSizes(_ bytes: Int) {
        guard let channel else { return }
        let level = NIOBSDSocket.OptionLevel.socket
        for name in [SO_SNDBUF, SO_RCVBUF] {
            let option = ChannelOptions.Types.SocketOption(
                level: level, name: NIOBSDSocket.Option(rawValue: name))
            channel.setOption(option, value: SocketOptionValue(bytes)).whenFailure { _ in }
        }
    }
}
