import NIOCore
import NodeNet

/// The TLS workloads' load client: NodeNet's own `tls.connect` and `https` agent, on its one
/// event loop in this process. SwiftNIO has no TLS of its own over the system OpenSSL (its
/// NIOSSL brings BoringSSL, another library), so the client speaks through the system OpenSSL,
/// as our servers do (Node's twin uses the copy of OpenSSL built into Node).
@NodeActor final class SecureLoad {
    private var stats: RoundStats
    private var allOperations = 0
    private var running = 0
    private var failure: NodeError?
    private var finished: (@NodeActor () -> Void)?

    private init(warmup: Double, seconds: Double) {
        stats = RoundStats(start: .now() + .nanoseconds(Int64(warmup * 1e9)), seconds: seconds)
    }

    /// Full handshakes, `lanes` at a time: connect, verify the server, present our client
    /// certificate, and close as soon as the connection is secure.
    static func handshakes(port: Int, options: TLSOptions, lanes: Int, warmup: Double, seconds: Double)
        async throws -> LoadClient.Round
    {
        let load = SecureLoad(warmup: warmup, seconds: seconds)
        return try await load.run(lanes: lanes) { next in
            let began = NIODeadline.now()
            let socket = tls.connect(port, "localhost", options)
            socket.once(.secureConnect) {
                socket.destroy()
                next(began)
            }
            socket.on(.error) { load.fail($0) }
        }
    }

    /// Keep-alive GETs over `lanes` connections of one agent, each waiting for its answer.
    static func requests(port: Int, tls options: TLSOptions, lanes: Int, warmup: Double, seconds: Double)
        async throws -> LoadClient.Round
    {
        let load = SecureLoad(warmup: warmup, seconds: seconds)
        let agent = Agent(keepAlive: true, maxSockets: lanes)
        defer { agent.destroy() }
        var request = RequestOptions(host: "localhost", port: port, agent: agent)
        request.tls = options
        return try await load.run(lanes: lanes) { [request] next in
            let began = NIODeadline.now()
            let sent = https.request(request) { res in
                res.on(.data) { _ in }
                res.on(.end) { next(began) }
            }
            sent.on(.error) { load.fail($0) }
            sent.end()
        }
    }

    /// Runs `operation` in `lanes` loops until the window has closed, then waits for them all.
    private func run(
        lanes: Int,
        _ operation: @escaping @NodeActor (_ next: @escaping @NodeActor (NIODeadline) -> Void) -> Void
    ) async throws -> LoadClient.Round {
        await until { done in
            finished = done
            running = lanes
            for _ in 0..<lanes { lane(operation) }
        }
        if let failure { throw BenchError("\(failure.code): \(failure.message)") }
        // NodeNet runs on one event loop, so this client has one thread whatever `--client-threads` says.
        return LoadClient.Round(stats: stats, allOperations: allOperations, allBytes: 0, threads: 1)
    }

    private func lane(
        _ operation: @escaping @NodeActor (_ next: @escaping @NodeActor (NIODeadline) -> Void) -> Void
    ) {
        operation { [self] began in
            allOperations += 1
            stats.completed(began: began)
            if failure == nil, NIODeadline.now() < stats.end {
                lane(operation)
            } else {
                laneStopped()
            }
        }
    }

    private func laneStopped() {
        running -= 1
        if running == 0 { finished?() }
    }

    private func fail(_ error: NodeError) {
        guard failure == nil else { return }
        failure = error
        finished?()
        finished = nil
    }
}
