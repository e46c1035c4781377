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
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 511)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RawTCPHandler())
                    }
                }
                .bind(host: "127.0.0.1", port: port).wait()
        case .udp:
            channel = try DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RawUDPHandler())
                    }
                }
                .bind(host: "127.0.0.1", port: port).wait()
        case .http:
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 511)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                            withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(RawHTTPHandler())
                    }
                }
                .bind(host: "127.0.0.1", port: port).wait()
        case .websocket:
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 511)
                .childChannelInitializer { channel in
                    let upgrader = NIOWebSocketServerUpgrader(
                        shouldUpgrade: { channel, head in
                            channel.eventLoop.makeSucceededFuture(
                                head.uri == "/updates" ? HTTPHeaders() : nil)
                        },
                        upgradePipelineHandler: { channel, _ in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandler(RawWebSocketEchoHandler())
                            }
                        })
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                            withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                    }
                }
                .bind(host: "127.0.0.1", port: port).wait()
        }
        // Written at once: stdout is a pipe, which C would otherwise buffer.
        FileHandle.standardOutput.write(
            Data("raw NIO listening on \(channel.localAddress?.port ?? port)\n".utf8))
        try channel.closeFuture.wait()
        fatalError("the raw server's channel closed")
    }
}
