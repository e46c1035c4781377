import NodeNet

/// §4.3, which the book skips: every frame a client sends and receives, field by field, for a
/// short text, payloads that need the 16- and 64-bit lengths, a ping, and the closing handshake.
@NodeActor func inspectFrames() async {
    var server: HTTPServer?
    let port = await until { done in
        server = startUpdatesServer(port: 0, host: "127.0.0.1", onListening: done)
    }
    let ws = WebSocket("ws://127.0.0.1:\(port)/updates")
    // excerpt: inspect
    ws.on(.frameSent) { frame in show(frame, "→ the client sends") }
    ws.on(.frameReceived) { frame in show(frame, "← the client receives") }
    // end excerpt
    await until { done in ws.once(.open, done) }

    print("\n== a short text: the length fits in 7 bits ==")
    await until { done in
        ws.once(.message) { _ in done() }
        ws.send("Hello")
    }
    print("\n== 256 bytes: length 126, then 16 bits ==")
    await until { done in
        ws.once(.message) { _ in done() }
        ws.send(Buffer((0..<256).map { UInt8($0) }))
    }
    print("\n== 65536 bytes: length 127, then 64 bits ==")
    await until { done in
        ws.once(.message) { _ in done() }
        ws.send(Buffer.alloc(65536, fill: 0x2A))
    }
    print("\n== a ping: the server answers with a pong, same payload ==")
    await until { done in
        ws.once(.pong) { _ in done() }
        ws.ping("are you there?")
    }
    print("\n== the closing handshake: each side sends a close frame ==")
    await until { done in
        ws.once(.close) { _ in done() }
        try? ws.close(1000, "bye")
    }
    if let server { await until { done in server.close { _ in done() } } }
}

/// One frame, its header byte by byte and its fields by name.
@NodeActor func show(_ frame: WebSocketFrameInfo, _ direction: String) {
    print("\(direction): \(frame.opcodeName), \(frame.payload.count) bytes")
    let header = frame.header
    let extended = frame.lengthField == 126 ? 2 : frame.lengthField == 127 ? 8 : 0
    let parts = [
        hex(header[0..<2]), hex(header[2..<(2 + extended)]), hex(header[(2 + extended)...]),
    ].filter { !$0.isEmpty }
    print("  header   \(parts.joined(separator: " | "))")
    let rsv = [frame.rsv.0, frame.rsv.1, frame.rsv.2].map { $0 ? "1" : "0" }.joined()
    var fields = "FIN \(frame.fin ? 1 : 0) · RSV \(rsv) · opcode \(frame.opcode) (\(frame.opcodeName))"
    fields += " · MASK \(frame.maskingKey == nil ? 0 : 1) · length \(frame.payload.count)"
    if let key = frame.maskingKey { fields += " · masking key \(hex(key[...]))" }
    print("           \(fields)")
    if let key = frame.maskingKey {
        let masked = frame.payload.enumerated().map { $1 ^ key[$0 % 4] }
        print("  on wire  \(preview(masked))   (masked)")
    }
    print("  payload  \(preview(Array(frame.payload)))\(readable(frame))")
}

private func hex(_ bytes: ArraySlice<UInt8>) -> String {
    bytes.map { Buffer([$0]).toString(.hex) }.joined(separator: " ")
}

private func preview(_ bytes: [UInt8]) -> String {
    bytes.count <= 16 ? hex(bytes[...]) : hex(bytes[..<16]) + " … (\(bytes.count) bytes)"
}

/// The payload as text, where it is text: a message's, a ping's, or a close frame's reason.
private func readable(_ frame: WebSocketFrameInfo) -> String {
    switch frame.opcode {
    case 0x1, 0x9, 0xA: "   \"\(frame.payload.toString())\""
    case 0x8 where frame.payload.count >= 2:
        "   code \(Int(frame.payload[0]) << 8 | Int(frame.payload[1])), reason \"\(frame.payload.subarray(2).toString())\""
    default: ""
    }
}
