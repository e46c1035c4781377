import NodeNet

/// §1.3 (`drain`): respect back-pressure.
///
/// Write every chunk to `socket`, in order. When `write` returns false, stop: the bytes are piling
/// up in memory. Go on when the socket emits `drain`. After the last chunk, end the socket.
@NodeActor public func pump(_ chunks: [Buffer], into socket: Socket) {
    var next = 0
    @NodeActor func writeSome() {
        while next < chunks.count {
            let accepted = socket.write(chunks[next])
            next += 1
            if !accepted {
                socket.once(.drain, writeSome)
                return
            }
        }
        socket.end()
    }
    writeSome()
}
