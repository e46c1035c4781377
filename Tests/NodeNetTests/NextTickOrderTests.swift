import Foundation
import TestSupport
import Testing

@testable import NodeNet

/// Where a `nextTick` callback runs: right after the callback that queued it, before the loop goes
/// on to the next I/O callback, immediates and timers, as in Node.
///
/// Two datagrams sent to one socket before the loop polls arrive in one I/O batch, so the order
/// also shows whether a tick waits for the rest of the batch (it must not).
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct NextTickOrderTests {
    /// What node 20 prints for `nodeScript`; `promise` is a microtask, which Swift has no
    /// equivalent of (see `aSwiftTaskRunsAfterTheTicksButNotBeforeTheNextIOCallback`).
    static let nodeOrder = [
        "message a", "end of callback", "tick", "tick queued by a tick", "promise",
        "message b", "immediate", "timeout 0",
    ]

    static let nodeScript = """
        const dgram = require('dgram');
        const log = [];
        const socket = dgram.createSocket('udp4');
        socket.on('message', (msg) => {
          const name = msg.toString();
          log.push(`message ${name}`);
          if (name === 'a') {
            setImmediate(() => log.push('immediate'));
            setTimeout(() => {
              log.push('timeout 0');
              console.log(log.join('\\n'));
              socket.close();
            }, 0);
            Promise.resolve().then(() => log.push('promise'));
            process.nextTick(() => {
              log.push('tick');
              process.nextTick(() => log.push('tick queued by a tick'));
            });
            log.push('end of callback');
          }
        });
        socket.bind(0, '127.0.0.1', () => {
          const { port } = socket.address();
          socket.send('a', port, '127.0.0.1');
          socket.send('b', port, '127.0.0.1');
        });
        """

    /// The same program as `nodeScript`, in Swift; a `Task` stands where the promise was.
    private func swiftOrder() async throws -> [String] {
        let log = EventLog()
        let socket = dgram.createSocket(.udp4)
        try await waitFor("listening") { done in try! socket.bind(0, "127.0.0.1", done) }
        let port = socket.address()!.port
        try await waitFor("timeout 0") { done in
            socket.on(.message) { message, _ in
                let name = message.toString()
                log.add("message \(name)")
                guard name == "a" else { return }
                // First: NodeNet's setImmediate is a timer due now, so a setTimeout(0) made more
                // than 1 ms before it (a busy machine) would be due first; Node runs immediates
                // right after I/O whatever the order.
                setImmediate { log.add("immediate") }
                setTimeout(0) {
                    log.add("timeout 0")
                    done()
                }
                Task { log.add("task") }
                process.nextTick {
                    log.add("tick")
                    process.nextTick { log.add("tick queued by a tick") }
                }
                log.add("end of callback")
            }
            try! socket.send("a", port, "127.0.0.1")
            try! socket.send("b", port, "127.0.0.1")
        }
        try socket.close()
        return log.entries
    }

    @Test func ticksRunRightAfterTheirCallbackBeforeTheNextIOCallback() async throws {
        let order = try await swiftOrder()
        #expect(order.filter { $0 != "task" } == Self.nodeOrder.filter { $0 != "promise" })
    }

    /// The remaining difference: a promise job runs before the next I/O callback in Node, but a
    /// Swift `Task` is a job on the loop's queue, so it runs after the current I/O batch.
    @Test func aSwiftTaskRunsAfterTheTicksButNotBeforeTheNextIOCallback() async throws {
        let order = try await swiftOrder()
        let task = try #require(order.firstIndex(of: "task"))
        #expect(task > order.firstIndex(of: "tick queued by a tick")!)
        #expect(task > order.firstIndex(of: "message b")!)
    }

    @Test func nodePrintsTheOrderThisSuiteExpects() async throws {
        let node = try requirePeer("node")
        let run = try await runPeer(
            node, ["-e", Self.nodeScript], in: FileManager.default.temporaryDirectory)
        #expect(run.status == 0, "\(run)")
        #expect(run.output.split(separator: "\n").map(String.init) == Self.nodeOrder)
    }
}
