/// One thing the bench measures: which servers, what load, in what unit, against what goal.
struct Workload: Sendable {
    /// The name on the command line and in the JSON (`tcp-pingpong-50`).
    let name: String
    /// What it is, for the table.
    let title: String
    let servers: Servers
    let load: Load
    /// What the main number counts, per second (`round trips/s`), or the memory unit.
    let unit: String
    let goal: Goal

    /// Which servers, and, for TLS, the keys they need made first.
    enum Servers: Sendable {
        case plain(ServerTrio)
        case secure(@Sendable (String) -> ServerTrio)
        /// The classroom server, with a class folder of its own.
        case classroom
    }

    /// What the load client does.
    enum Load: Sendable {
        case closedLoop(Exchange, connections: Int)
        case upload(chunk: Int, connections: Int)
        case datagrams(message: [UInt8], sockets: Int)
        case handshakes(lanes: Int)
        case httpsRequests(lanes: Int)
        case idle(Exchange, connections: Int)
        /// `students` students, each reporting a board of `exercises` every `every` seconds.
        case classroom(students: Int, exercises: Int, every: Double)

        /// Which load client did the work, and on how many threads, as the output says.
        func client(threads: Int) -> String {
            let name =
                switch self {
                case .closedLoop, .upload, .datagrams, .idle: "SwiftNIO client"
                case .handshakes: "NodeNet tls.connect (OpenSSL)"
                case .httpsRequests: "NodeNet https agent (OpenSSL)"
                case .classroom: "NodeNet https agent (OpenSSL), open loop"
                }
            return "\(name), \(threads) thread\(threads == 1 ? "" : "s")"
        }
    }

    /// A target for ours against Node's twin: the ratio of a metric, at least or at most.
    struct Goal: Sendable, Codable {
        enum Metric: String, Codable, Sendable {
            case throughput
            case cpuPerOperation
            case memoryPerConnection
        }

        let metric: Metric
        let atLeast: Double?
        let atMost: Double?

        /// Whether `ratio` (ours ÷ Node) meets the goal.
        func isMet(by ratio: Double) -> Bool {
            if let atLeast { return ratio >= atLeast }
            if let atMost { return ratio <= atMost }
            return true
        }

        /// `≥ 1.5×` or `≤ 0.5×`.
        var text: String {
            if let atLeast { return "≥ \(Report.ratio(atLeast))" }
            if let atMost { return "≤ \(Report.ratio(atMost))" }
            return ""
        }

        static func faster(_ factor: Double) -> Goal {
            Goal(metric: .throughput, atLeast: factor, atMost: nil)
        }
        static func cheaper(_ factor: Double) -> Goal {
            Goal(metric: .cpuPerOperation, atLeast: nil, atMost: factor)
        }
        static func smaller(_ factor: Double) -> Goal {
            Goal(metric: .memoryPerConnection, atLeast: nil, atMost: factor)
        }
        /// No twin to compare with: the goal is that no report is lost (see the report's line).
        static let everyReportAcknowledged = Goal(metric: .throughput, atLeast: nil, atMost: nil)
    }
}

extension Workload {
    /// Every workload, in the order they run: the issue's list.
    static func all(idleConnections: Int, students: Int = 200) -> [Workload] {
        let ping = Array("ping ping ping!\n".utf8)
        return [
            Workload(
                name: "tcp-upload-1", title: "TCP, 64 KiB writes, 1 connection", servers: .plain(.tcp),
                load: .upload(chunk: 65_536, connections: 1), unit: "MB/s", goal: .faster(1.5)),
            Workload(
                name: "tcp-upload-50", title: "TCP, 64 KiB writes, 50 connections", servers: .plain(.tcp),
                load: .upload(chunk: 65_536, connections: 50), unit: "MB/s", goal: .faster(1.5)),
            Workload(
                name: "tcp-pingpong-1", title: "TCP ping-pong, 1 connection", servers: .plain(.tcp),
                load: .closedLoop(.booksTCP(message: ping), connections: 1), unit: "round trips/s",
                goal: .faster(1.5)),
            Workload(
                name: "tcp-pingpong-50", title: "TCP ping-pong, 50 connections", servers: .plain(.tcp),
                load: .closedLoop(.booksTCP(message: ping), connections: 50), unit: "round trips/s",
                goal: .faster(1.5)),
            Workload(
                name: "udp-echo", title: "UDP datagram and answer, 16 sockets", servers: .plain(.udp),
                load: .datagrams(message: ping, sockets: 16), unit: "datagrams/s", goal: .faster(1.5)),
            Workload(
                name: "http-hello", title: "HTTP keep-alive GET, 50 connections", servers: .plain(.http),
                load: .closedLoop(.http(bodyBytes: 0), connections: 50), unit: "requests/s",
                goal: .cheaper(0.5)),
            Workload(
                name: "http-upload-64k", title: "HTTP keep-alive POST of 64 KiB, 50 connections",
                servers: .plain(.http), load: .closedLoop(.http(bodyBytes: 65_536), connections: 50),
                unit: "requests/s", goal: .cheaper(0.5)),
            Workload(
                name: "websocket-echo", title: "WebSocket small text echo, 50 connections",
                servers: .plain(.webSocket),
                load: .closedLoop(.webSocketEcho(text: #"{"update":1}"#), connections: 50),
                unit: "messages/s",
                goal: .faster(2)),
            Workload(
                name: "tls-handshake", title: "TLS full handshakes (mutual, RSA 2048), 4 at a time",
                servers: .secure(ServerTrio.tls), load: .handshakes(lanes: 4), unit: "handshakes/s",
                goal: .faster(1)),
            Workload(
                name: "https-hello", title: "HTTPS keep-alive GET, 50 connections",
                servers: .secure(ServerTrio.https),
                load: .httpsRequests(lanes: 50), unit: "requests/s", goal: .faster(1)),
            Workload(
                name: "tcp-idle", title: "memory of \(idleConnections) idle TCP connections",
                servers: .plain(.tcp),
                load: .idle(.booksTCP(message: ping), connections: idleConnections), unit: "KiB/connection",
                goal: .smaller(0.5)),
            Workload(
                name: "websocket-idle", title: "memory of \(idleConnections) idle WebSocket connections",
                servers: .plain(.webSocket),
                load: .idle(.webSocketEcho(text: "x"), connections: idleConnections), unit: "KiB/connection",
                goal: .smaller(0.5)),
            Workload(
                name: "classroom",
                title:
                    "chapter 7: \(students) students × 36 exercises reporting every 2 s, the teacher's page live",
                servers: .classroom, load: .classroom(students: students, exercises: 36, every: 2),
                unit: "reports/s", goal: .everyReportAcknowledged),
        ]
    }
}
