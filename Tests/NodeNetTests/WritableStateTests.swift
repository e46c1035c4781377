import Testing

@testable import NodeNet

/// The writable half that ``Socket`` and ``OutgoingMessage`` share: the rules alone, no socket.
/// Over real connections they are checked by WritableEndTests, BackpressureTests and
/// HTTPBackpressureTests.
@Suite(.timeLimit(.minutes(1))) struct WritableStateTests {
    @Test func writeSaysWaitAtTheHighWaterMarkNotBelowIt() {
        var state = WritableState(highWaterMark: 4)
        state.queue(3)
        let goOn = state.answer()
        #expect(goOn, "3 of 4: go on")
        #expect(!state.needsDrain)
        state.queue(1)
        let keepWriting = state.answer()
        #expect(!keepWriting, "exactly the mark: wait")
        #expect(state.needsDrain)
        #expect(state.length == 4)
    }

    @Test func bytesTakenAtOnceDoNotCountAgainstTheMark() {
        var state = WritableState(highWaterMark: 4)
        state.queue(4)
        state.handedOver(4)
        let taken = state.answer()
        #expect(taken, "the kernel took them all before write answered")
        let drain = state.takeDrain()
        #expect(!drain, "no drain without a false answer")
    }

    @Test func drainIsDueOnceWhenEverythingIsOutAfterAFalseAnswer() {
        var state = WritableState(highWaterMark: 2)
        state.queue(3)
        let accepted = state.answer()
        #expect(!accepted)
        state.handedOver(1)
        let early = state.takeDrain()
        #expect(!early, "two bytes still wait")
        state.handedOver(2)
        let due = state.takeDrain()
        let again = state.takeDrain()
        #expect(due && !again)
        #expect(!state.needsDrain)
    }

    @Test func theTargetsAnswerAlsoOwesADrain() {
        var state = WritableState()
        let targetAccepted = state.answer(belowMark: false)
        #expect(!targetAccepted)
        #expect(state.needsDrain)
        let due = state.takeDrain()
        #expect(due)
    }

    @Test func afterEndNoDrainIsOwedOrDue() {
        var state = WritableState(highWaterMark: 1)
        state.queue(1)
        let answer6 = state.answer()
        #expect(!answer6)
        let ended = state.beginEnding()
        #expect(ended)
        #expect(!state.needsDrain, "Node's writableNeedDrain is false once ending")
        state.handedOver(1)
        let due = state.takeDrain()
        #expect(!due)
    }

    @Test func writesAreRefusedAfterEndFirstThenWhenDestroyed() {
        var state = WritableState()
        #expect(state.refusal(destroyed: false) == nil)
        #expect(state.refusal(destroyed: true) == .destroyed)
        #expect(state.refusal(destroyed: true)?.error.code == "ERR_STREAM_DESTROYED")
        _ = state.beginEnding()
        #expect(state.refusal(destroyed: false) == .afterEnd)
        #expect(state.refusal(destroyed: true) == .afterEnd, "Node checks ending before destroyed")
        #expect(state.refusal(destroyed: false)?.error.code == "ERR_STREAM_WRITE_AFTER_END")
    }

    @Test func theEndWaitsForTheBytesBeforeItAndFinishesOnce() {
        var state = WritableState()
        state.queue(5)
        let first = state.beginEnding()
        let second = state.beginEnding()
        #expect(first && !second, "end() twice ends once")
        #expect(state.ended && !state.finished)
        #expect(!state.endIsDue, "five bytes still wait")
        state.handedOver(5)
        #expect(state.endIsDue)
        state.endSent()
        #expect(!state.endIsDue, "the FIN is asked for once")
        let finished = state.finish() != nil
        let finishedAgain = state.finish() != nil
        #expect(finished && !finishedAgain, "finish fires once")
        #expect(state.finished)
    }

    @Test func nothingFinishesBeforeEnd() {
        var state = WritableState()
        let finished = state.finish() != nil
        #expect(!finished)
        #expect(!state.ended && !state.finished)
    }

    @Test @NodeActor func endCallbacksAreHandedOutAtFinishInOrder() {
        var state = WritableState()
        var ran: [Int] = []
        let kept = state.runAtFinish { ran.append(1) } && state.runAtFinish { ran.append(2) }
        #expect(kept)
        _ = state.beginEnding()
        for callback in state.finish() ?? [] { callback() }
        #expect(ran == [1, 2])
        let keptLate = state.runAtFinish { ran.append(3) }
        #expect(!keptLate, "after finish the owner runs it itself")
    }

    @Test @NodeActor func aDestroyedStreamLetsItsEndCallbacksGo() {
        var state = WritableState()
        var ran = false
        _ = state.runAtFinish { ran = true }
        _ = state.beginEnding()
        state.destroyed()
        for callback in state.finish() ?? [] { callback() }
        #expect(!ran)
    }
}
