import NIOCore
import NIOPosix

/// The book's §1.2 server written straight on SwiftNIO, with nothing of NodeNet: greets each
/// connection and answers every read with 你好. It is what our `net` layer costs measured from.
final class RawTCPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private static let greeting = Array("欢迎光临《深入浅出node.js》".utf8)
    private static let answer = Array("你好".utf8)

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(
            wrapOutboundOut(context.channel.allocator.buffer(bytes: Self.greeting)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: Self.answer)), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The §2 server on SwiftNIO: answers each datagram with 你好, and the message, to its sender.
final class RawUDPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private static let prefix = Array("你好, ".utf8)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let size = envelope.data.readableBytes
        print(
            "server got: \(String(buffer: envelope.data)) from \(Optional(envelope.remoteAddress).text) (\(size) bytes)"
        )
        var answer = context.channel.allocator.buffer(
            capacity: Self.prefix.count + envelope.data.readableBytes)
        answer.writeBytes(Self.prefix)
        answer.writeImmutableBuffer(envelope.data)
        context.write(
            wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: answer)),
            promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
