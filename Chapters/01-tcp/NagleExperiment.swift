import NIOCore
import NodeNet

/// What Nagle's algorithm does to many small writes: the same writes sent twice, once with Nagle
/// on (Node's default for `net`) and once after `setNoDelay(true)`, counted at the receiver.
@NodeActor func compareNagle(writes: Int, size: Int) async {
    print("\(writes) writes of \(size) bytes each, one per millisecond, over 127.0.0.1")
    for noDelay in [false, true] {
        let seen = await sendSmallWrites(writes: writes, size: size, noDelay: noDelay)
        let mode = noDelay ? "setNoDelay(true)" : "Nagle on (default)"
        print(
            "\(mode): \(seen.chunks) data events, \(seen.bytes) bytes, largest chunk \(seen.largest) bytes, "
                + "\(seen.milliseconds) ms"
        )
    }
    print("Fewer data events than writes means writes were merged: TCP delivers bytes, not messages.")
}

/// What the receiving side saw.
struct Reception {
    var chunks = 0
    var bytes = 0
    var largest = 0
    var milliseconds = 0.0
}

@NodeActor private func sendSmallWrites(writes: Int, size: Int, noDelay: Bool) async -> Reception {
    await withCheckedContinuation { (finished: CheckedContinuation<Reception, Never>) in
        var seen = Reception()
        let started = NIODeadline.now()
        let receiver = net.createServer { socket in
            socket.on(.data) { data in
                seen.chunks += 1
                seen.bytes += data.count
                seen.largest = max(seen.largest, data.count)
            }
        }
        receiver.listen(0, "127.0.0.1") {
            // excerpt: nagle
            let sender = net.connect(receiver.address()!.port)
            sender.setNoDelay(noDelay)
            let message = Buffer.alloc(size, fill: 0x2E)
            var left = writes
            // One write per millisecond, so the receiver reads in between.
            @NodeActor func writeNext() {
                guard left > 0 else { return sender.end() }
                left -= 1
                sender.write(message)
                setTimeout(1, writeNext)
            }
            writeNext()
            // end excerpt
        }
        receiver.on(.connection) { socket in
            socket.on(.close) { _ in
                seen.milliseconds = Double((NIODeadline.now() - started).nanoseconds / 10_000) / 100
                receiver.close()
                finished.resume(returning: seen)
            }
        }
    }
}
