import COpenSSL
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// TLS in a socket's pipeline, in front of everything else: ciphertext on the network side,
/// plaintext on the socket's side. OpenSSL does the protocol; this handler moves bytes between
/// the channel and OpenSSL's two memory BIOs (what arrives goes into one, what OpenSSL wants
/// sent comes out of the other), which is how Node's TLS wrap feeds OpenSSL too.
final class TLSHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case handshaking
        case open
        /// Our close_notify is sent: no more application data from us.
        case shutDown
        case failed
    }

    private let ssl: OpaquePointer
    private let incoming: OpaquePointer
    private let outgoing: OpaquePointer
    private let socket: TLSSocket
    private var state = State.handshaking
    /// Writes made before the handshake finished, sent once it has.
    private var waiting: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var peerClosed = false
    /// A server that refuses a client whose certificate it cannot verify (`requestCert` and
    /// `rejectUnauthorized`).
    private let refusesUnverifiedPeers: Bool

    /// `context` is the configured `SSL_CTX`; `serverName` is sent as SNI by a client.
    init(
        context: SecureContext, isServer: Bool, serverName: String?, refusesUnverifiedPeers: Bool,
        socket: TLSSocket
    ) throws {
        // Each piece is freed if a later one cannot be made: nothing owns them until SSL_set_bio.
        guard let ssl = SSL_new(context.pointer) else { throw NodeError.openSSL("SSL_new failed") }
        guard let incoming = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw NodeError.openSSL("BIO_new failed")
        }
        guard let outgoing = BIO_new(BIO_s_mem()) else {
            BIO_free(incoming)
            SSL_free(ssl)
            throw NodeError.openSSL("BIO_new failed")
        }
        // An empty input BIO means "wait for more", not end of stream.
        BIO_ctrl(incoming, BIO_C_SET_BUF_MEM_EOF_RETURN, -1, nil)
        BIO_ctrl(outgoing, BIO_C_SET_BUF_MEM_EOF_RETURN, -1, nil)
        SSL_set_bio(ssl, incoming, outgoing)
        self.ssl = ssl
        self.incoming = incoming
        self.outgoing = outgoing
        self.socket = socket
        self.refusesUnverifiedPeers = refusesUnverifiedPeers
        if isServer {
            SSL_set_accept_state(ssl)
        } else {
            SSL_set_connect_state(ssl)
            if !context.alpnWire.isEmpty {
                // OpenSSL copies the list.
                SSL_set_alpn_protos(ssl, context.alpnWire.baseAddress, UInt32(context.alpnWire.count))
            }
            if let serverName, !serverName.isEmpty, !isIPAddress(serverName) {
                // SSL_set_tlsext_host_name is a macro over SSL_ctrl.
                _ = serverName.withCString {
                    SSL_ctrl(
                        ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name),
                        UnsafeMutableRawPointer(mutating: $0))
                }
            }
        }
    }

    deinit {
        SSL_free(ssl)  // frees both BIOs too
    }

    // MARK: Inbound

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        // The client speaks first; a server waits for the ClientHello.
        if SSL_is_server(ssl) == 0 { advance(context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        // A memory BIO grows as needed; BIO_write takes an Int32 count, so hand it pieces.
        while bytes.readableBytes > 0 {
            let piece = min(bytes.readableBytes, Self.pieceSize)
            bytes.withUnsafeReadableBytes { _ = BIO_write(incoming, $0.baseAddress, Int32(piece)) }
            bytes.moveReaderIndex(forwardBy: piece)
        }
        advance(context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event, state == .handshaking {
            // The peer hung up in the middle of the handshake, as Node words it.
            return fail(
                context,
                NodeError(
                    code: .econnreset,
                    message: "Client network socket disconnected before secure TLS connection was established"
                ))
        }
        if case ChannelEvent.inputClosed = event {
            // A FIN without close_notify is an ordinary end, as in Node.
            if peerClosed { return }
            peerClosed = true
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset during the handshake is the handshake's failure (a server's `tlsClientError`,
        // as in Node: `read ECONNRESET`), not an error of a socket the program never saw; and
        // so is one after a handshake that failed or was refused (the refused client may reset
        // the connection before the socket is destroyed).
        switch state {
        case .handshaking: fail(context, NodeError(error, syscall: "read"))
        case .failed: return
        case .open, .shutDown: context.fireErrorCaught(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if state == .handshaking {
            state = .failed
            NodeActor.run(socket) { socket in
                socket.handshakeFailed(
                    NodeError(
                        code: .econnreset,
                        message:
                            "Client network socket disconnected before secure TLS connection was established")
                )
            }
        }
        failWaiting(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    /// Runs the handshake while it lasts, then reads what the peer sent; always sends what
    /// OpenSSL has to say (handshake messages, alerts, tickets).
    private func advance(_ context: ChannelHandlerContext) {
        if state == .handshaking {
            // SSL_get_error reads the thread's error queue: it must hold only this call's errors.
            ERR_clear_error()
            let result = SSL_do_handshake(ssl)
            if result == 1 {
                let result = HandshakeResult(ssl)
                if refusesUnverifiedPeers && !result.peerIsVerified {
                    // Judged before anything the handshake wrote goes out, as Node's TLS wrap
                    // judges it: a refused TLS 1.2 client never gets our Finished (nor a TLS 1.3
                    // one its tickets), so it never believes it is connected. Only our FIN.
                    state = .failed
                    discardOutput()
                    NodeActor.run(socket) { socket in socket.handshakeCompleted(result) }
                    return
                }
                state = .open
                flushOutput(context)
                NodeActor.run(socket) { socket in socket.handshakeCompleted(result) }
                for (bytes, promise) in waiting { encrypt(context, bytes, promise) }
                waiting = []
            } else {
                let error = SSL_get_error(ssl, result)
                flushOutput(context)
                guard error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE else {
                    return fail(context, NodeError.openSSL("TLS handshake failed"))
                }
                return
            }
        }
        guard state == .open || state == .shutDown else { return }
        readPlaintext(context)
    }

    private func readPlaintext(_ context: ChannelHandlerContext) {
        var delivered = false
        while true {
            var buffer = context.channel.allocator.buffer(capacity: 16384)
            var result: Int32 = 0
            ERR_clear_error()
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 16384) { pointer in
                result = SSL_read(ssl, pointer.baseAddress, Int32(pointer.count))
                return max(0, Int(result))
            }
            if result > 0 {
                context.fireChannelRead(wrapInboundOut(buffer))
                delivered = true
                continue
            }
            let error = SSL_get_error(ssl, result)
            flushOutput(context)
            if error == SSL_ERROR_ZERO_RETURN {
                // The peer's close_notify: it will send nothing more.
                if delivered { context.fireChannelReadComplete() }
                if !peerClosed {
                    peerClosed = true
                    context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
                }
                return
            }
            if error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE {
                return fail(context, NodeError.openSSL("TLS read failed"))
            }
            break
        }
        if delivered { context.fireChannelReadComplete() }
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let bytes = unwrapOutboundIn(data)
        switch state {
        case .handshaking: waiting.append((bytes, promise))
        case .open: encrypt(context, bytes, promise)
        case .shutDown, .failed: promise?.fail(ChannelError.outputClosed)
        }
    }

    /// The most plaintext given to OpenSSL in one call, and the most ciphertext taken out in one.
    /// SSL_write, BIO_write and BIO_read count in Int32: a single write of 2 GiB or more cannot be
    /// passed whole. A piece's ciphertext is sent before the next piece is encrypted, so the
    /// outgoing BIO never holds more than about one piece either.
    static let pieceSize = 1 << 20

    private func encrypt(
        _ context: ChannelHandlerContext, _ bytes: ByteBuffer, _ promise: EventLoopPromise<Void>?
    ) {
        var remaining = bytes
        repeat {
            let piece = min(remaining.readableBytes, Self.pieceSize)
            var failed = false
            remaining.withUnsafeReadableBytes { plaintext in
                var offset = 0
                while offset < piece {
                    ERR_clear_error()
                    let written = SSL_write(ssl, plaintext.baseAddress! + offset, Int32(piece - offset))
                    guard written > 0 else {
                        failed = true
                        return
                    }
                    offset += Int(written)
                }
            }
            if failed {
                promise?.fail(NodeError.openSSL("TLS write failed"))
                return
            }
            remaining.moveReaderIndex(forwardBy: piece)
            // The write's promise completes with its last piece (at once for an empty write).
            flushOutput(context, promise: remaining.readableBytes == 0 ? promise : nil)
        } while remaining.readableBytes > 0
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // `end()`: say close_notify before the FIN, so the peer knows the data is complete.
        if mode == .output && state == .open {
            state = .shutDown
            SSL_shutdown(ssl)
            flushOutput(context)
        }
        context.close(mode: mode, promise: promise)
    }

    /// Sends whatever OpenSSL has written into the outgoing BIO; `promise` completes with the
    /// last piece (or at once if there was nothing).
    private func flushOutput(_ context: ChannelHandlerContext, promise: EventLoopPromise<Void>? = nil) {
        var pieces: [ByteBuffer] = []
        while true {
            let pending = min(Int(BIO_ctrl_pending(outgoing)), Self.pieceSize)
            guard pending > 0 else { break }
            var buffer = context.channel.allocator.buffer(capacity: pending)
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) {
                max(0, Int(BIO_read(outgoing, $0.baseAddress, Int32(pending))))
            }
            pieces.append(buffer)
        }
        guard !pieces.isEmpty else {
            promise?.succeed(())
            return
        }
        for (index, piece) in pieces.enumerated() {
            context.write(wrapOutboundOut(piece), promise: index == pieces.count - 1 ? promise : nil)
        }
        context.flush()
    }

    /// Drops what OpenSSL wrote for the peer and has not been sent.
    private func discardOutput() {
        _ = BIO_ctrl(outgoing, BIO_CTRL_RESET, 0, nil)
    }

    // MARK: Failing

    private func fail(_ context: ChannelHandlerContext, _ error: NodeError) {
        let wasHandshaking = state == .handshaking
        state = .failed
        failWaiting(error)
        NodeActor.run(socket) { socket in
            if wasHandshaking { socket.handshakeFailed(error) } else { socket.destroy(error) }
        }
        context.close(promise: nil)
    }

    private func failWaiting(_ error: any Error) {
        let pending = waiting
        waiting = []
        for (_, promise) in pending { promise?.fail(error) }
    }
}

/// Whether `host` is an IPv4 or IPv6 address (no SNI is sent for those, as RFC 6066 says).
func isIPAddress(_ host: String) -> Bool {
    var v4 = in_addr()
    var v6 = in6_addr()
    return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
}
