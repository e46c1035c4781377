// Mutant: ignores content-length and counts only what arrives, so a head announcing too big a body waits for it.
import NodeNet

/// §3.3 (request): a request body comes in `data` chunks after the head, and a server decides how
/// much of it it will take.
///
/// Answer 200 with the request's body sent back unchanged, once it has all arrived (`end`). Collect
/// the chunks as bytes and join them at the end: a chunk can end in the middle of a character.
///
/// Take at most `limit` bytes. When the head's `content-length` already says more, answer 413 at
/// once, without waiting for the body. A body without a length (`Transfer-Encoding: chunked`) is
/// counted as it comes: answer 413 as soon as it passes `limit`, and ignore the rest. Every 413
/// carries `Connection: close`, so that the server closes the connection: otherwise it would go
/// on reading the unwanted body to its end, to throw it away and keep the connection for the
/// next request, as Node does with a body nobody read.
@NodeActor public func echoBody(_ req: IncomingMessage, _ res: ServerResponse, limit: Int) {
    @NodeActor func refuse() {
        res.statusCode = 413
        res.setHeader("Connection", "close")
        res.end()
    }
    var chunks: [Buffer] = []
    var received = 0
    var refused = false
    req.on(.data) { chunk in
        guard !refused else { return }
        received += chunk.count
        if received > limit {
            refused = true
            return refuse()
        }
        chunks.append(chunk)
    }
    req.on(.end) {
        guard !refused else { return }
        res.end(Buffer.concat(chunks))
    }
}
