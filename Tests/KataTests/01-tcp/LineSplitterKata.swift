import Kata
import NodeNet
import Testing

@Suite struct LineSplitterKata {
    private func split(_ chunks: [[UInt8]]) -> [String] {
        var splitter = LineSplitter()
        return chunks.flatMap { splitter.push(Buffer($0)) }
    }

    @Test func wholeLinesInOneChunk() {
        let lines = split([Array("hello\nworld\n".utf8)])
        #expect(
            lines == ["hello", "world"],
            "\"hello\\nworld\\n\" in one chunk is two lines; you returned \(lines)")
    }

    @Test func aLineSplitAcrossChunksComesOutOnce() {
        let bytes = Array("hello\nworld\n".utf8)
        for cut in 1..<bytes.count {
            let lines = split([Array(bytes[..<cut]), Array(bytes[cut...])])
            #expect(
                lines == ["hello", "world"],
                "cut after byte \(cut), the same text must still be two lines; you returned \(lines)"
            )
        }
    }

    @Test func anUnfinishedLineWaitsForTheRest() {
        var splitter = LineSplitter()
        let first = splitter.push("par")
        #expect(first.isEmpty, "\"par\" has no newline yet, so no line is complete; you returned \(first)")
        let second = splitter.push("tial\nnext")
        #expect(
            second == ["partial"],
            "\"par\" then \"tial\\n\" make the line \"partial\"; you returned \(second)")
    }

    @Test func aCharacterCutInTwoIsNotBroken() {
        let bytes = Array("你好\n".utf8)
        let lines = split([Array(bytes[..<4]), Array(bytes[4...])])
        #expect(
            lines == ["你好"],
            "a chunk may end inside a UTF-8 character; keep bytes until the line ends. You returned \(lines)")
    }

    @Test func windowsLineEndsLoseTheirCarriageReturn() {
        let lines = split([Array("telnet\r\nsends\r\n".utf8)])
        #expect(
            lines == ["telnet", "sends"],
            "telnet ends lines with \\r\\n; drop the \\r too. You returned \(lines)")
    }

    @Test func oneByteAtATime() {
        let lines = split(Array("a\nbc\n\nd".utf8).map { [$0] })
        #expect(
            lines == ["a", "bc", ""],
            "byte by byte, \"a\\nbc\\n\\nd\" is three lines (one empty); you returned \(lines)")
    }
}
