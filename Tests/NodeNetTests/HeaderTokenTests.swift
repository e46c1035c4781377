import Testing

@testable import NodeNet

/// How the runtime reads header names and comma-separated tokens (`Connection: keep-alive,
/// Upgrade`): ASCII letters in any case, spaces and tabs around each token ignored, nothing else.
@Suite struct HeaderTokenTests {
    @Test func namesAndTokensMatchInAnyASCIICase() {
        #expect("Content-Length".caseInsensitiveEquals("content-length"))
        #expect("KEEP-ALIVE".caseInsensitiveEquals("keep-alive"[...]))
        #expect(!"keep-alive".caseInsensitiveEquals("keep-alivf"))
        #expect(!"keep-alive".caseInsensitiveEquals("keep-alive "))
        #expect(!"keep".caseInsensitiveEquals("keep-alive"))
        // Only ASCII letters fold: '@' and '`' sit 0x20 from letters' neighbours, and É is not é.
        #expect(!"@".caseInsensitiveEquals("`"))
        #expect(!"[".caseInsensitiveEquals("{"))
        #expect(!"É".caseInsensitiveEquals("é"))
    }

    /// A substring is compared where it lies in its string (by length first, then in place).
    @Test func substringsCompareByTheirOwnBytes() {
        let line = "X-Name: Connection"
        let name = line[line.index(line.startIndex, offsetBy: 8)...]
        #expect(name.caseInsensitiveEquals("connection"))
        #expect(!name.caseInsensitiveEquals("connectio"))
        #expect(!line.dropLast().caseInsensitiveEquals(line))
    }

    /// RFC 9110's `tchar`, byte by byte over all 256: letters, digits and the 15 marks, nothing else.
    @Test func tokenBytesAreExactlyTheRFCs() {
        let marks = Array("!#$%&'*+-.^_`|~".utf8)
        for byte in UInt8.min...UInt8.max {
            let expected =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || marks.contains(byte)
            #expect(HeaderValidation.isTokenByte(byte) == expected, "byte \(byte)")
        }
    }

    @Test func aTokenIsFoundAnywhereInTheList() {
        #expect("Keep-Alive, Upgrade".hasToken("upgrade"))
        #expect("upgrade".hasToken("upgrade"))
        #expect(" \tUpgrade\t ,keep-alive".hasToken("upgrade"))
        #expect("keep-alive,,close".hasToken("close"))
        #expect(!"keep-alive, upgrades".hasToken("upgrade"))
        #expect(!"keep-alive; upgrade".hasToken("upgrade"))
        #expect(!"".hasToken("close"))
    }

    @Test func trimmingRemovesSpacesAndTabsAtEitherEnd() {
        #expect(" \tchunked \t"[...].trimmingWhitespace() == "chunked")
        #expect("gzip, chunked"[...].trimmingWhitespace() == "gzip, chunked")
        #expect(" \t "[...].trimmingWhitespace().isEmpty)
        #expect("\nchunked"[...].trimmingWhitespace() == "\nchunked")
    }
}
