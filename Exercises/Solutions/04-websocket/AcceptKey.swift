import NodeNet

/// The GUID RFC 6455 §1.3 fixes for every WebSocket server. The book prints it as
/// `258EAFA5-E914-47DA-C5AB0DCB5B11`, which is misprinted: a server using that one answers every
/// client with a value the client refuses.
public let webSocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/// §4.1 (WebSocket握手): the server proves that it read the client's handshake.
///
/// The client sends a random `Sec-WebSocket-Key`. The server answers with
/// `Sec-WebSocket-Accept`: the SHA-1 digest of the key followed by `webSocketGUID`, in base64,
/// as the book's Node code computes it with `crypto.createHash('sha1')`. Return that value.
public func acceptKey(for key: String) -> String {
    // The key is used as the text it is: it is not base64-decoded first.
    try! crypto.createHash("sha1").update(key + webSocketGUID).digest(.base64)
}
