import NodeNet

/// §1.3 (`drain`): respect back-pressure.
///
/// Write every chunk to `socket`, in order. When `write` returns false, stop: the bytes are piling
/// up in memory. Go on when the socket emits `drain`. After the last chunk, end the socket.
@NodeActor public func pump(_ chunks: [Buffer], into socket: Socket) {
    // Your code here.
}
