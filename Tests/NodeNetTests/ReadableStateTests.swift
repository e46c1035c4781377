import Testing

@testable import NodeNet

/// The readable half that ``Socket`` and ``IncomingMessage`` share: the rules alone, no socket.
/// Over real connections they are checked by SocketReadingTests, NetLifecycleTests and
/// HTTPBackpressureTests.
@Suite(.timeLimit(.minutes(1))) struct ReadableStateTests {
    @Test func chunksAreKeptUntilTheFlowStartsThenComeOutInOrder() {
        var state = ReadableState(highWaterMark: 4)
        #expect(state.push(Buffer("ab")) == nil, "nobody reads yet")
        #expect(state.push(Buffer("cd")) == nil)
        #expect(state.length == 4)
        #expect(state.isFull)
        #expect(state.nextWhileFlowing() == nil, "not flowing")
        let started = state.resume()
        #expect(started)
        #expect(state.push(Buffer("ef")) == nil, "behind the kept chunks, not before them")
        var out: [String] = []
        while let chunk = state.nextWhileFlowing() { out.append(chunk.toString()) }
        #expect(out == ["ab", "cd", "ef"])
        #expect(state.length == 0)
        #expect(state.push(Buffer("gh"))?.toString() == "gh", "flowing with nothing kept: at once")
    }

    @Test func pauseKeepsChunksAndResumeTwiceStartsOnce() {
        var state = ReadableState()
        let first = state.resume()
        state.pause()
        #expect(state.push(Buffer("x")) == nil)
        #expect(state.nextWhileFlowing() == nil)
        let again = state.resume()
        let twice = state.resume()
        #expect(first && again && !twice)
        #expect(state.nextWhileFlowing()?.toString() == "x")
    }

    @Test func theEndWaitsForTheChunksBeforeItAndIsEmittedOnce() {
        var state = ReadableState()
        #expect(state.push(Buffer("a")) == nil)
        state.pushEnd()
        #expect(!state.endIsDue, "a chunk before the end is not taken yet")
        _ = state.resume()
        _ = state.nextWhileFlowing()
        #expect(state.endIsDue)
        let emitted = state.endEmitted()
        let emittedAgain = state.endEmitted()
        #expect(emitted && !emittedAgain)
        #expect(!state.endIsDue)
    }

    @Test func anEndWithNothingBeforeItIsDueWithoutAReader() {
        var state = ReadableState()
        state.pushEnd()
        #expect(state.endIsDue)
        #expect(state.flow == .notYet)
    }

    @Test func aHandoverTakesEverythingAndStartsOver() {
        var state = ReadableState()
        state.pause()
        _ = state.push(Buffer("he"))
        _ = state.push(Buffer("ad"))
        #expect(state.takeAllForHandover().toString() == "head")
        #expect(state.length == 0)
        #expect(state.isEmpty)
        #expect(state.flow == .notYet)
    }
}
