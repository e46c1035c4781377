import Foundation
import NodeNet

/// The lowest port the kernel hands out on its own (to `listen(0)` and to a client's `connect`),
/// from `/proc/sys/net/ipv4/ip_local_port_range`; Linux's default where that cannot be read.
public let lowestEphemeralPort: Int = {
    let range = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
    let low = range?.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) }
    return low ?? 32768
}()

/// A server listening on 127.0.0.1 at a port below the kernel's ephemeral range.
///
/// For a test that closes the server and then expects its port to refuse and to bind again: a
/// port `listen(0)` gave out can be given to another test's `listen(0)` as soon as it is free,
/// and a client's connect can pick it as its own source port and connect to itself. Neither
/// happens below the ephemeral range, where only a fixed port number lands.
@NodeActor
public func listeningServerBelowTheEphemeralRange(
    _ onConnection: @escaping @NodeActor (Socket) -> Void = { _ in }
) async throws -> (Server, Int) {
    let ports = max(1024, lowestEphemeralPort - 10_000)..<lowestEphemeralPort
    for _ in 0..<20 {
        let port = Int.random(in: ports)
        let server = net.createServer(ServerOptions(), onConnection)
        let failure: NodeError? = try await waitFor("listening on \(port)") { done in
            server.on(.error) { error in done(error) }
            server.listen(port, "127.0.0.1") { done(nil) }
        }
        guard let failure else { return (server, port) }
        guard failure.code == "EADDRINUSE" else { throw failure }
    }
    throw NodeError(code: "EADDRINUSE", message: "twenty ports in \(ports) were all in use")
}
