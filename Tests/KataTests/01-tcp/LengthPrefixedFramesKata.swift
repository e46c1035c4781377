import Kata
import NodeNet
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1)))
struct LengthPrefixedFramesKata {
    @Test func aFrameIsAFourByteBigEndianLengthThenThePayload() {
        let frame = encodeFrame("hi").bytes
        #expect(
            frame == [0, 0, 0, 2, 104, 105],
            "encodeFrame(\"hi\") must be [0, 0, 0, 2, 104, 105]; you returned \(frame)")
        let big = encodeFrame(Buffer.alloc(300)).bytes
        #expect(
            Array(big.prefix(4)) == [0, 0, 1, 44],
            "300 is 0x012C: the header must be [0, 0, 1, 44]; yours is \(Array(big.prefix(4)))")
    }

    /// A frame made by the test itself, so that the decoder's tests do not depend on your encoder.
    private static func frame(_ payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [
            UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF),
            UInt8(length & 0xFF),
        ]
            + payload
    }

    @Test func framesComeBackWhateverTheChunking() {
        let payloads: [[UInt8]] = [
            Array("first".utf8), [], Array("你好".utf8), Array(repeating: 7, count: 1000),
        ]
        let stream = payloads.flatMap(Self.frame)
        let sizes = payloads.map(\.count)
        for size in [1, 3, 4, 5, 64, stream.count] {
            var decoder = FrameDecoder()
            var decoded: [Buffer] = []
            for start in stride(from: 0, to: stream.count, by: size) {
                decoded += decoder.push(Buffer(stream[start..<min(start + size, stream.count)]))
            }
            let otherBytes = decoded.map(\.count) == sizes ? ", but with other bytes than were sent" : ""
            #expect(
                decoded.map(\.bytes) == payloads,
                "4 frames of \(sizes) bytes (headers 00 00 00 05, 00 00 00 00, 00 00 00 06, 00 00 03 e8), cut into \(size)-byte chunks: \(decoded.count) came out, of \(decoded.map(\.count)) bytes\(otherBytes)"
            )
        }
    }

    @Test @NodeActor func framesSurviveARealSocket() async throws {
        let (server, port) = try await listeningServer { socket in
            for word in ["ping", "pong", "你好"] { socket.write(Buffer(Self.frame(Array(word.utf8)))) }
            socket.end()
        }
        defer { server.close() }
        let words: [String] = try await waitFor("the server's end", seconds: 30) { done in
            var decoder = FrameDecoder()
            var words: [String] = []
            let client = net.connect(port)
            client.on(.data) { words += decoder.push($0).map { $0.toString() } }
            client.on(.end) { done(words) }
        }
        #expect(
            words == ["ping", "pong", "你好"],
            "three frames of 4, 4 and 6 bytes sent over TCP (ping, pong, 你好); you decoded \(words)")
    }
}
