extension WebSocket {
    /// Opens a WebSocket to `url` (`ws://host:port/path`, `wss://` over TLS), as a browser's `new WebSocket(url,
    /// protocols)` does: the handshake runs in the background, then `open` fires (or `error` and
    /// `close` with 1006 if it fails). `protocols` are offered in `Sec-WebSocket-Protocol`.
    public convenience init(
        _ url: String, protocols: [String] = [], options: WebSocketOptions = WebSocketOptions()
    ) {
        self.init(url: url, isServer: false, options: options)
        // ws:// is HTTP underneath, wss:// is HTTPS.
        let secure = url.hasPrefix("wss://")
        let rest = url.drop { $0 != ":" }.dropFirst(3)
        guard url.hasPrefix("ws://") || secure,
            var request = RequestOptions(url: (secure ? "https://" : "http://") + rest)
        else {
            afterIOBatch {
                self.handshakeFailed(
                    NodeError(
                        code: .invalidURL,
                        message: "Invalid URL: \(url): the protocol must be \"ws:\" or \"wss:\""))
            }
            return
        }
        if secure { request.tls = options.tls ?? TLSOptions() }
        let key = WebSocketHandshake.newKey()
        // The headers and their order are what the `ws` library sends.
        request.headers = [
            ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", key), ("Connection", "Upgrade"),
            ("Upgrade", "websocket"),
        ]
        if !protocols.isEmpty {
            request.headers.append(("Sec-WebSocket-Protocol", protocols.joined(separator: ", ")))
        }
        request.agent = nil
        let req = http.request(request)
        req.on(.upgrade) { res, socket, head in
            guard self.readyState == .connecting else { return socket.destroy() }
            if let problem = Self.problem(with: res, key: key, offered: protocols) {
                socket.destroy()
                return self.handshakeFailed(NodeError(code: .wsInvalidHandshake, message: problem))
            }
            self.attach(socket, head: head, protocol: res.headers["sec-websocket-protocol"] ?? "")
            self.emit(.open)
            self.onopen?()
        }
        req.on(.response) { res in
            res.resume()
            self.handshakeFailed(
                NodeError(
                    code: .wsUnexpectedResponse,
                    message: "Unexpected server response: \(res.statusCode)"))
        }
        req.on(.error) { error in self.handshakeFailed(error) }
        req.end()
        pendingRequest = req
    }

    /// What is wrong with a server's `101` answer, in the words of the `ws` library; nil if the
    /// answer is right: `Upgrade: websocket`, the accept value of our key, and no subprotocol or
    /// extension we did not offer.
    static func problem(with res: IncomingMessage, key: String, offered: [String]) -> String? {
        guard res.headers["upgrade"]?.lowercased() == "websocket" else { return "Invalid Upgrade header" }
        guard res.headers["sec-websocket-accept"] == WebSocketHandshake.accept(for: key) else {
            return "Invalid Sec-WebSocket-Accept header"
        }
        if let chosen = res.headers["sec-websocket-protocol"], !offered.contains(chosen) {
            return offered.isEmpty
                ? "Server sent a subprotocol but none was requested" : "Server sent an invalid subprotocol"
        }
        if res.headers["sec-websocket-extensions"] != nil {
            return "Server sent a Sec-WebSocket-Extensions header but no extension was requested"
        }
        return nil
    }
}
