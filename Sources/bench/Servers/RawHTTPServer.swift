import NIOCore
import NIOHTTP1

/// The §3 server's answer on SwiftNIO and NIOHTTP1 alone: a short page for every request, the
/// body read and dropped, keep-alive as the request asks, and `http-events`' lines printed.
final class RawHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let number: Int
    private var requests = 0
    private var keepAlive = true

    init(number: Int) {
        self.number = number
    }

    func channelActive(context: ChannelHandlerContext) {
        print("connection #\(number) from \(context.channel.remoteAddress.text)")
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        print("connection #\(number) closed after \(requests) request(s)")
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
            requests += 1
            print(
                "request #\(number) \(head.method.rawValue) \(head.uri) HTTP/\(head.version.major).\(head.version.minor)"
            )
        case .body: break
        case .end:
            let page = context.channel.allocator.buffer(
                string: "hello from raw NIO: request \(requests) on connection #\(number)\n")
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: "\(page.readableBytes)")
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(page))), promise: nil)
            let keepAlive = keepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
