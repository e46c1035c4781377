import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `process.stdin`: the program's standard input as a stream of `data` chunks, then `end`.
///
/// It starts reading when a `data` listener is added, and holds the loop only while it reads, so a
/// program that never reads its input still ends by itself.
@NodeActor public final class StandardInput: EventEmitter {
    private var hold = LoopHold()
    private var started = false

    override init() {}

    /// A `data` listener starts reading, as in Node.
    public override func listenerAdded(_ event: EventName) {
        guard event == Event<StandardInput, Buffer>.data, !started else { return }
        started = true
        hold.activate()
        NIOPipeBootstrap(group: nodeLoopGroup)
            .channelInitializer { channel in
                channel.installOnNode {
                    try $0.pipeline.syncOperations.addHandlerBehindBoundary(
                        StandardInputHandler(stream: self))
                }
            }
            .takingOwnershipOfDescriptor(input: dup(STDIN_FILENO))
            .whenFailureOnNode { error in
                self.emit(.error, NodeError(error, syscall: "read"))
                self.finish()
            }
    }

    fileprivate func finish() {
        hold.deactivate()
    }

    /// Lets the program end while stdin is still open.
    public func unref() { hold.unref() }
}

private final class StandardInputHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let stream: StandardInput

    init(stream: StandardInput) { self.stream = stream }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let chunk = Buffer(unwrapInboundIn(data))
        NodeActor.run(stream) { stream in _ = stream.emit(.data, chunk) }
    }

    /// End of input closes an input-only pipe channel; that close is stdin's `end`.
    func channelInactive(context: ChannelHandlerContext) {
        NodeActor.run(stream) { stream in
            stream.emit(.end)
            stream.finish()
        }
    }
}

extension Event where Emitter: StandardInput, Payload == Buffer {
    /// Bytes read from standard input.
    public static var data: Self { Self("data") }
}

extension Event where Emitter: StandardInput, Payload == Void {
    /// Standard input reached its end (Ctrl-D, or the pipe closed).
    public static var end: Self { Self("end") }
}

extension Event where Emitter: StandardInput, Payload == NodeError {
    /// Standard input could not be read.
    public static var error: Self { Self("error") }
}

/// `process.stdout`: writes bytes as they are, without the newline `print` adds.
public struct StandardOutput: Sendable {
    /// Writes `data` and flushes it.
    public func write(_ data: Buffer) {
        data.storage.withUnsafeReadableBytes {
            _ = fwrite($0.baseAddress, 1, $0.count, CStandardStreams.output)
        }
        fflush(CStandardStreams.output)
    }

    /// Writes the UTF-8 bytes of `text` and flushes them.
    public func write(_ text: String) { write(Buffer(text)) }
}

extension NodeProcess {
    /// The program's standard input.
    public var stdin: StandardInput { standardInput }

    /// The program's standard output.
    public nonisolated var stdout: StandardOutput { StandardOutput() }
}
