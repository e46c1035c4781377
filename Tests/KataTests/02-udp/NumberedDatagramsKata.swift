import Kata
import NodeNet
import Testing

@Suite struct NumberedDatagramsKata {
    let message = Buffer((0..<2500).map { UInt8(truncatingIfNeeded: $0 * 7) })

    @Test func piecesAreNumberedAndSmallEnough() {
        let pieces = splitIntoDatagrams(message, maxPayload: 1000)
        #expect(
            pieces.count == 3, "2500 bytes in pieces of at most 1000 make 3 pieces; you made \(pieces.count)")
        guard pieces.count == 3 else { return }
        #expect(
            Array(pieces[2].prefix(4)) == [0, 2, 0, 3],
            "the third piece's header is index 2, total 3: [0, 2, 0, 3]; yours is \(Array(pieces[2].prefix(4)))"
        )
        #expect(
            pieces.map(\.count) == [1004, 1004, 504],
            "each piece is a 4-byte header plus its payload; yours are \(pieces.map(\.count)) bytes")
        let empty = splitIntoDatagrams(Buffer([]), maxPayload: 1000)
        #expect(
            empty.map(\.bytes) == [[0, 0, 0, 1]],
            "an empty message is one piece with no payload; you made \(empty.map(\.bytes))")
    }

    @Test func anyOrderAndDuplicatesGiveTheMessageBackOnce() {
        let pieces = splitIntoDatagrams(message, maxPayload: 300)
        guard pieces.count > 2 else {
            Issue.record("2500 bytes in pieces of 300 make 9 pieces; you made \(pieces.count)")
            return
        }
        var reassembler = Reassembler()
        let arrivals = Array(pieces.reversed()) + [pieces[3]]
        var results: [Buffer] = []
        for piece in [pieces[0]] + arrivals.dropLast() {
            if let whole = reassembler.receive(piece) { results.append(whole) }
        }
        #expect(
            results.count == 1,
            "the whole message must come out exactly once, when the last missing piece arrives; it came out \(results.count) times"
        )
        #expect(results.first == message, "the pieces, put back in order, must be the original 2500 bytes")
    }
}
