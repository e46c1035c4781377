extension Event where Emitter: Socket, Payload == Void {
    /// The client socket has connected (never emitted on server-side sockets).
    public static var connect: Self { Self("connect") }
    /// Right after `connect`: the socket can be used.
    public static var ready: Self { Self("ready") }
    /// The peer sent FIN: it will send nothing more.
    public static var end: Self { Self("end") }
    /// Our FIN has been sent after `end()`, every byte before it handed to the kernel.
    public static var finish: Self { Self("finish") }
    /// A `write` returned false earlier, and the write buffer has since emptied.
    public static var drain: Self { Self("drain") }
    /// Nothing was read or written for the time given to `setTimeout`; the socket is still open.
    public static var timeout: Self { Self("timeout") }
}

extension Event where Emitter: Socket, Payload == Buffer {
    /// Bytes arrived. TCP is a byte stream: one `write` may arrive as several chunks, or several
    /// writes as one.
    public static var data: Self { Self("data") }
}

extension Event where Emitter: Socket, Payload == Bool {
    /// The socket is fully closed; the payload is `hadError`.
    public static var close: Self { Self("close") }
}

extension Event where Emitter: Socket, Payload == NodeError {
    /// Something failed (ECONNREFUSED, ECONNRESET, EPIPE, …); `close(true)` follows.
    public static var error: Self { Self("error") }
}
