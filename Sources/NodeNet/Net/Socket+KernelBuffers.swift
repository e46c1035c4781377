import NIOCore

extension Socket {
    /// Asks the kernel for send and receive buffers of about `bytes` each (`SO_SNDBUF`,
    /// `SO_RCVBUF`; Linux doubles the number). Node has no such call for TCP; the tests use it so
    /// that a peer that never reads fills loopback's buffers with hundreds of kilobytes, not
    /// megabytes.
    @_spi(Testing) public func setKernelBufferSizes(_ bytes: Int) {
        guard let channel else { return }
        for option in [NIOBSDSocket.Option.so_sndbuf, .so_rcvbuf] {
            channel.setOption(.socketOption(option), value: SocketOptionValue(bytes)).whenFailure { _ in }
        }
    }
}
