import Foundation

// `swift run tour`: every chapter's demo, end to end, each program run as you would run it.
// Each demo works on free ports on 127.0.0.1 and ends by itself.

/// One demo: a chapter program and the arguments that make it show its lesson.
struct Stop {
    let title: String
    let program: String
    let arguments: [String]
}

let chapters: [(String, [Stop])] = [
    (
        "Chapter 1 · 构建TCP服务 · TCP",
        [
            Stop(title: "§1.2 the book's server and a client", program: "tcp-echo", arguments: ["demo"]),
            Stop(title: "§1.3 every server and connection event", program: "tcp-echo", arguments: ["events"]),
            Stop(
                title: "§1.3 Nagle's algorithm, on and off", program: "tcp-echo",
                arguments: ["nagle", "--writes", "50"]),
        ]
    ),
    (
        "Chapter 2 · 构建UDP服务 · UDP",
        [
            Stop(title: "§2 a datagram server and client", program: "udp-socket", arguments: ["demo"]),
            Stop(title: "§2.1 the four events of a UDP socket", program: "udp-socket", arguments: ["events"]),
            Stop(title: "§2 one socket, many peers", program: "udp-socket", arguments: ["peers"]),
            Stop(
                title: "§2 unreliable, counted: a lossy relay", program: "udp-socket",
                arguments: ["loss", "100", "30"]),
        ]
    ),
    (
        "Chapter 3 · 构建HTTP服务 · HTTP",
        [
            Stop(
                title: "§3.2 a request and a response on the wire", program: "http-events",
                arguments: ["wire"]),
            Stop(
                title: "§3.3 every server event, from raw requests", program: "http-events",
                arguments: ["demo"]),
            Stop(
                title: "§3.3 the same events through http.request", program: "http-events",
                arguments: ["client"]),
        ]
    ),
    (
        "Chapter 4 · 构建WebSocket服务 · WebSocket",
        [
            Stop(title: "§4.1 the handshake, step by step", program: "websocket", arguments: ["handshake"]),
            Stop(title: "§4.3 every frame, field by field", program: "websocket", arguments: ["frames"]),
            Stop(
                title: "§4 the book's client: an update every 50 ms", program: "websocket",
                arguments: ["client", "--count", "5"]),
        ]
    ),
    (
        "Chapter 5 · 网络服务与安全 · TLS",
        [
            Stop(
                title: "§5.1 keys, a CA, certificates, mutual TLS", program: "tls-certs", arguments: ["demo"]),
            Stop(title: "§5.1 the man in the middle, refused", program: "tls-certs", arguments: ["mitm"]),
        ]
    ),
    (
        "Chapter 6 · HTTPS服务 · HTTPS",
        [
            Stop(
                title: "§6 an HTTPS server and a verified request", program: "https-server",
                arguments: ["demo"])
        ]
    ),
]

/// Writes at once: the demos write to the same terminal, so nothing may wait in a buffer.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

// The tour takes no options: `--help` says what it runs; anything else is a mistake.
switch CommandLine.arguments.dropFirst().first {
case nil: break
case "-h", "--help":
    say("USAGE: swift run tour\n\nRuns every chapter's demos, one after another, on free ports of 127.0.0.1:")
    for (chapter, stops) in chapters {
        say("  \(chapter)")
        for stop in stops { say("    swift run \(([stop.program] + stop.arguments).joined(separator: " "))") }
    }
    exit(0)
case let other?:
    FileHandle.standardError.write(
        Data("tour takes no arguments (got \(other)); try `swift run tour --help`\n".utf8))
    exit(64)
}

let buildFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    .deletingLastPathComponent()
var failures: [String] = []

for (chapter, stops) in chapters {
    say("\n════ \(chapter) ════")
    for stop in stops {
        let command = ([stop.program] + stop.arguments).joined(separator: " ")
        say("\n▶ \(stop.title)   (swift run \(command))\n")
        let child = Process()
        child.executableURL = buildFolder.appendingPathComponent(stop.program)
        child.arguments = stop.arguments
        do {
            try child.run()
            child.waitUntilExit()
            if child.terminationStatus != 0 {
                failures.append("\(command) exited with \(child.terminationStatus)")
            }
        } catch {
            failures.append("\(command) could not start: \(error)")
        }
    }
}

if failures.isEmpty {
    say("\nThe tour is over: every demo ran. Next: read Chapters/01-tcp/README.md, then `swift run kata`.")
} else {
    say("\nThe tour met problems:\n" + failures.map { "  - " + $0 }.joined(separator: "\n"))
    exit(1)
}
