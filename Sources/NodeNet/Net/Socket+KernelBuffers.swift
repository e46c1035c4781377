import NIOCore

extension Socket {
    /// Asks the kernel for a send buffer of about `bytes` (`SO_SNDBUF`; Linux doubles the
    /// number). Node has no such call for TCP; the tests use it so that a peer that never reads
    /// backs a writer up after hundreds of kilobytes, not megabytes.
    ///
    /// Only the send buffer. A receive buffer fixed with `SO_RCVBUF` is one Linux no longer
    /// grows when loopback's large segments cost more memory than the window it advertised, so
    /// it drops segments inside that window. When the ping-flood tests stalled that way, `ss -tmi`
    /// showed the server with nothing left to read and the client's kernel holding 267 KB of
    /// pings for a window it still believed closed, its probes backed off to 30 s apart.
    @_spi(Testing) public func setKernelSendBufferSize(_ bytes: Int) {
        channel?.setOption(.socketOption(.so_sndbuf), value: SocketOptionValue(bytes)).whenFailure { _ in }
    }
}
