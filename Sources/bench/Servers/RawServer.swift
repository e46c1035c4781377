import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The raw SwiftNIO servers, one per protocol: the bench's third column. Each runs in a
/// process of its own (`bench raw-server KIND`), as the chapter programs and Node twins do.
enum RawServer: String, CaseIterable, Sendable {
    case tcp, udp, http, websocket

    /// Listens on 127.0.0.1:`port`, prints `raw NIO listening on PORT`, and serves until killed.
    func run(port: Int) throws -> Never {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel: any Channel
        switch self {
        case .tcp:
            channel = try stream(group, port) { try $0.addHandler(RawTCPHandler()) }
        case .udp:
            channel = try DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RawUDPHandler())
                    }
                }
                .bind(host: "127.0.0.1", port: port).wait()
        case .http:
            channel = try stream(group, port) { pipeline in
                try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                try pipeline.addHandler(RawHTTPHandler())
            }
        case .websocket:
            channel = try stream(group, port) { pipeline in
                let upgrader = NIOWebSocketServerUpgrader(
                    shouldUpgrade: { channel, head in
                        channel.eventLoop.makeSucceededFuture(head.uri == "/updates" ? HTTPHeaders() : nil)
                    },
                    upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(RawWebSocketEchoHandler())
                        }
                    })
                try pipeline.configureHTTPServerPipeline(
                    withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
            }
        }
        // Written at once: stdout is a pipe, which C would otherwise buffer.
        FileHandle.standardOutput.write(
            Data("raw NIO listening on \(channel.localAddress?.port ?? port)\n".utf8))
        try channel.closeFuture.wait()
        fatalError("the raw server's channel closed")
    }

    /// A TCP server on 127.0.0.1:`port` with Node's backlog, each connection's pipeline set up
    /// by `configure`.
    private func stream(
        _ group: MultiThreadedEventLoopGroup, _ port: Int,
        _ configure: @escaping @Sendable (ChannelPipeline.SynchronousOperations) throws -> Void
    ) throws -> any Channel {
        try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 511)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try configure(channel.pipeline.syncOperations) }
            }
            .bind(host: "127.0.0.1", port: port).wait()
    }
}
