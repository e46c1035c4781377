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
