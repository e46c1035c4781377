import CStdio
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The raw SwiftNIO servers, one per protocol: the bench's third column. Each runs in a
/// process of its own (`bench raw-server KIND`), as the chapter programs and Node twins do, and
/// prints the lines its chapter program prints (a line per request, datagram or message), so
/// that what the bench compares is the layer under the program, not its output.
enum RawServer: String, CaseIterable, Sendable {
    case tcp, udp, http, websocket

    /// Listens on 127.0.0.1:`port`, prints `raw NIO listening on PORT`, and serves until killed.
    func run(port: Int) throws -> Never {
        // Line by line, as NodeNet's programs write their output (Node's console.log too).
        setvbuf(nodenet_stdout(), nil, _IOLBF, 0)
        let connections = ConnectionNumbers()
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
                try pipeline.addHandler(RawHTTPHandler(number: connections.next()))
            }
        case .websocket:
            channel = try stream(group, port) { pipeline in
                let upgrader = NIOWebSocketServerUpgrader(
                    shouldUpgrade: { channel, head in
                        channel.eventLoop.makeSucceededFuture(head.uri == "/updates" ? HTTPHeaders() : nil)
                    },
                    upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            let number = connections.next()
                            print(
                                "connection #\(number) from \(channel.remoteAddress.text), subprotocol: none")
                            try channel.pipeline.syncOperations.addHandler(
                                RawWebSocketEchoHandler(number: number))
                        }
                    })
                try pipeline.configureHTTPServerPipeline(
                    withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
            }
        }
        print("raw NIO listening on \(channel.localAddress?.port ?? port)")
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

/// Numbers the connections in the order they come, as the chapter programs do.
final class ConnectionNumbers: Sendable {
    private let last = NIOLockedValueBox(0)

    func next() -> Int {
        last.withLockedValue { last in
            last += 1
            return last
        }
    }
}

extension Optional where Wrapped == SocketAddress {
    /// `127.0.0.1:53211`, as the chapter programs print a peer.
    var text: String { "\(self?.ipAddress ?? "?"):\(self?.port ?? 0)" }
}
