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
        guard Self.canBeWatched(STDIN_FILENO) else { return readOnAThread() }
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

    /// Whether the loop can wait for `descriptor` to be readable: a pipe, a socket or a terminal;
    /// not a file or `/dev/null`, which `epoll` refuses (and SwiftNIO's pipe channel traps on the
    /// refusal), as when a program runs `< input.txt` or from a script with no input.
    private static func canBeWatched(_ descriptor: Int32) -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return true }
        let kind = status.st_mode & S_IFMT
        return kind == S_IFIFO || kind == S_IFSOCK || isatty(descriptor) == 1
    }

    /// Reads a standard input the loop cannot watch on a thread of the pool, a chunk at a time,
    /// and emits each on the loop; a file is always readable, so the reads never wait long.
    private func readOnAThread() {
        let descriptor = dup(STDIN_FILENO)
        NIOThreadPool.singleton.submit { _ in
            var bytes = [UInt8](repeating: 0, count: 65536)
            var failure: Int32 = 0
            while true {
                let count = read(descriptor, &bytes, bytes.count)
                if count < 0 && errno == EINTR { continue }
                if count < 0 { failure = errno }
                guard count > 0 else { break }
                let chunk = Buffer(Array(bytes[0..<count]))
                afterIOBatch { _ = self.emit(.data, chunk) }
            }
            close(descriptor)
            afterIOBatch {
                if failure != 0 { self.emit(.error, NodeError(errno: failure, syscall: "read")) }
                self.emit(.end)
                self.finish()
            }
        }
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
