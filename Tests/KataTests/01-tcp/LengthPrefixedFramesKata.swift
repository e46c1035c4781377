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

    @Test func framesComeBackWhateverTheChunking() {
        let payloads: [Buffer] = ["first", "", "你好", Buffer.alloc(1000, fill: 7)]
        let stream = Buffer.concat(payloads.map(encodeFrame)).bytes
        for size in [1, 3, 4, 5, 64, stream.count] {
            var decoder = FrameDecoder()
            var decoded: [Buffer] = []
            for start in stride(from: 0, to: stream.count, by: size) {
                decoded += decoder.push(Buffer(stream[start..<min(start + size, stream.count)]))
            }
            #expect(
                decoded == payloads,
                "cut into \(size)-byte chunks, 4 frames went in and \(decoded.count) came out: \(decoded.map(\.count)) bytes each"
            )
        }
    }

    @Test @NodeActor func framesSurviveARealSocket() async throws {
        let (server, port) = try await listeningServer { socket in
            for word in ["ping", "pong", "你好"] { socket.write(encodeFrame(Buffer(word))) }
            socket.end()
        }
        defer { server.close() }
        let words: [String] = try await waitFor("the server's end", seconds: 10) { done in
            var decoder = FrameDecoder()
            var words: [String] = []
            let client = net.connect(port)
            client.on(.data) { words += decoder.push($0).map { $0.toString() } }
            client.on(.end) { done(words) }
        }
        #expect(words == ["ping", "pong", "你好"], "three frames sent over TCP; you decoded \(words)")
    }
}
