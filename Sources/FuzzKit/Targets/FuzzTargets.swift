import NodeNet

/// The targets, by name.
public enum FuzzTargets {
    /// Every target's name, in the order `--list` shows them.
    public static let names = ["http-head", "http-chunked", "websocket-frames", "pem-der"]

    /// A fresh target named `name`, or nil.
    @NodeActor public static func make(_ name: String) -> (any FuzzTarget)? {
        switch name {
        case "http-head": HTTPHeadTarget()
        case "http-chunked": HTTPChunkedTarget()
        case "websocket-frames": WebSocketFramesTarget()
        case "pem-der": CryptoReadersTarget()
        default: nil
        }
    }
}
