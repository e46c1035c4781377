import Kata
import Testing

/// Every expected value here is what Node 20 computed:
/// `crypto.createHash('sha1').update(key + GUID).digest('base64')`, with RFC 6455's GUID.
@Suite struct AcceptKeyKata {
    @Test func theRFCsSampleKey() {
        let accept = acceptKey(for: "dGhlIHNhbXBsZSBub25jZQ==")
        #expect(
            accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
            "RFC 6455's sample key dGhlIHNhbXBsZSBub25jZQ== (the book's too) is answered with s3pPLMBiTxaQ9kYGzzhZRbK+xOo=; you returned \(accept.debugDescription)"
        )
    }

    @Test func otherKeys() {
        for (key, expected) in [
            ("x3JJHMbDL1EzLkh9GBhXDw==", "HSmrc0sMlYUkAGmm5OPpG2HaGWk="),
            ("AQIDBAUGBwgJCgsMDQ4PEA==", "C/0nmHhBztSRGR1CwL6Tf4ZjwpY="),
            ("AAAAAAAAAAAAAAAAAAAAAA==", "ICX+Yqv66kxgM0FcWaLWlFLwTAI="),
            ("/////////////////////w==", "XXpj4jYzLM2yUE0C7TIgMwTQh2g="),
            ("MTIzNDU2Nzg5MGFiY2RlZg==", "SKslZF78GCkIO8xvldi3U6oimZ4="),
        ] {
            let accept = acceptKey(for: key)
            #expect(
                accept == expected,
                "the key \(key) is answered with \(expected) (base64 of the 20 bytes of SHA-1(key + GUID)); you returned \(accept.debugDescription)"
            )
        }
    }

    @Test func theBooksMisprintedGUIDIsNotUsed() {
        let accept = acceptKey(for: "dGhlIHNhbXBsZSBub25jZQ==")
        #expect(
            accept != "EKKFQpeYYkwdAJhue/pfyRtRQHs=",
            "EKKFQpeYYkwdAJhue/pfyRtRQHs= comes from the book's misprinted GUID 258EAFA5-E914-47DA-C5AB0DCB5B11, and a client refuses it: use RFC 6455's, webSocketGUID"
        )
        #expect(
            webSocketGUID == "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
            "webSocketGUID is RFC 6455's 258EAFA5-E914-47DA-95CA-C5AB0DC85B11; yours is \(webSocketGUID)")
    }
}
