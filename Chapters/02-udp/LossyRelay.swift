import NodeNet

/// "Unreliable", counted: a relay between a sender and a receiver drops a share of the datagrams,
/// and nothing in UDP notices or resends them.
@NodeActor func relayWithLoss(count: Int, dropPercent: Int) async throws {
    let receiver = dgram.createSocket(.udp4)
    let relay = dgram.createSocket(.udp4)
    let sender = dgram.createSocket(.udp4)
    await until { done in try? receiver.bind(0, "127.0.0.1", done) }
    await until { done in try? relay.bind(0, "127.0.0.1", done) }

    var arrived = Set<Int>()
    receiver.on(.message) { message, _ in arrived.insert(Int(message.toString().dropFirst())!) }

    // excerpt: relay
    var random = Mulberry32(seed: 42)  // The same drops every run, and the same as the Node twin.
    var forwarded = 0
    var dropped = 0
    relay.on(.message) { message, _ in
        if random.next() < Double(dropPercent) / 100 {
            dropped += 1
            return
        }
        forwarded += 1
        try? relay.send(message, receiver.address()!.port, "127.0.0.1")
    }
    // end excerpt

    // `1..<count + 1`, not `1...count`: a closed range from 1 to 0 traps, and `loss 0` sends none.
    for number in 1..<count + 1 {
        try sender.send("#\(number)", relay.address()!.port, "127.0.0.1")
        await sleep(milliseconds: 1)
    }
    await sleep(milliseconds: 200)  // Stragglers; whatever has not arrived by now never will.

    let missing = (1..<count + 1).filter { !arrived.contains($0) }
    print("sent \(count), relayed \(forwarded), dropped \(dropped), received \(arrived.count)")
    let shown = missing.prefix(10).map(String.init).joined(separator: ", ")
    print("missing: " + (missing.isEmpty ? "none" : shown + (missing.count > 10 ? " …" : "")))
    for socket in [receiver, relay, sender] { try socket.close() }
}

/// mulberry32, a tiny seeded random generator (the Node twin uses the same), in [0, 1).
struct Mulberry32 {
    private var state: UInt32

    init(seed: UInt32) { state = seed }

    mutating func next() -> Double {
        state &+= 0x6D2B_79F5
        var t = state
        t = (t ^ (t >> 15)) &* (t | 1)
        t ^= t &+ ((t ^ (t >> 7)) &* (t | 61))
        return Double(t ^ (t >> 14)) / 4_294_967_296
    }
}
