import NIOCore

/// A connection whose socket may be handed over after an upgrade (or a tunnel) is answered.
@NodeActor protocol UpgradeEOFHolder: AnyObject, Sendable {
    /// Whether to keep the peer's FIN from the HTTP decoder for now: an upgrade is being handed
    /// over. The connection fires the FIN again once the decoder is gone.
    func holdsEOF() -> Bool
}

/// First in front of an HTTP decoder: keeps the peer's FIN from it while an upgrade is being
/// handed over. At EOF SwiftNIO's decoder drops the bytes after the head, which belong to the new
/// protocol, and the FIN itself would reach the socket before the hand-over.
final class UpgradeEOFHold: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let connection: any UpgradeEOFHolder

    init(connection: any UpgradeEOFHolder) {
        self.connection = connection
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            if NodeActor.run(connection, { $0.holdsEOF() }) { return }
        }
        context.fireUserInboundEventTriggered(event)
    }
}
