import Foundation
import Testing

@testable import NodeNet

/// `http.createServer`'s sizes and timeouts, checked as Node 20 checks them (each message below was
/// printed by node for the same options): Node throws `ERR_OUT_OF_RANGE`; NodeNet stops the
/// program with the same words (see Differences.md).
struct HTTPServerOptionRangeTests {
    @Test func aHeadersTimeoutLongerThanTheRequestTimeoutStopsWithNodesWords() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            await createServer(HTTPServerOptions(headersTimeout: 10000, requestTimeout: 5000))
        }
        let printed = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(
            printed.contains(
                "The value of \"headersTimeout\" is out of range. It must be <= requestTimeout. Received 10000"
            ),
            "\(printed)")
    }

    @Test func aNegativeTimeoutStopsWithNodesWords() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            await createServer(HTTPServerOptions(keepAliveTimeout: -1))
        }
        let printed = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(
            printed.contains(
                "The value of \"keepAliveTimeout\" is out of range. It must be >= 0 && <= 9007199254740991. Received -1"
            ),
            "\(printed)")
    }

    @Test @NodeActor func aLongHeadersTimeoutIsAllowedWhenRequestsHaveNoLimitOrHeadsNone() {
        // Node 20: both create a server (0 turns the limit off, so neither bounds the other).
        let unlimitedRequests = http.createServer(HTTPServerOptions(headersTimeout: 10000, requestTimeout: 0))
        #expect(unlimitedRequests.headersTimeout == 10000)
        let unlimitedHeads = http.createServer(HTTPServerOptions(headersTimeout: 0, requestTimeout: 5000))
        #expect(unlimitedHeads.headersTimeout == 0)
    }

    @Test func numbersPastTwoToTheThirtySecondArePrintedInGroupsAsNodeDoes() {
        #expect(NodeError.asReceived(-1) == "-1")
        #expect(NodeError.asReceived(4_294_967_296) == "4294967296")
        #expect(NodeError.asReceived(4_294_967_297) == "4_294_967_297")
        #expect(NodeError.asReceived(-4_294_967_297) == "-4_294_967_297")
        #expect(NodeError.asReceived(9_007_199_254_740_992) == "9_007_199_254_740_992")
        #expect(NodeError.asReceived(Int.min) == "-9_223_372_036_854_775_808")
    }
}

/// `http.createServer(options)`, from an exit test's body.
@NodeActor private func createServer(_ options: HTTPServerOptions) {
    _ = http.createServer(options) { _, _ in }
}
