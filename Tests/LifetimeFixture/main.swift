import NodeNet

// Small programs that each show one rule of a program's lifetime; the tests run them as processes,
// since "the program exits by itself" can only be seen from outside.

let scenario = CommandLine.arguments.dropFirst().first ?? ""

switch scenario {
case "nothing":
    Node.run { print("done") }
case "timer":
    Node.run { setTimeout(20) { print("timer fired") } }
case "unref-timer":
    Node.run { setTimeout(60_000) { print("never") }.unref() }
case "unref-server":
    Node.run {
        let server = net.createServer()
        server.listen(0, "127.0.0.1") { print("listening") }
        server.unref()
    }
case "unref-udp":
    Node.run {
        let socket = dgram.createSocket(.udp4)
        try? socket.bind(0, "127.0.0.1") { print("bound") }
        socket.unref()
    }
case "ref-udp":
    Node.run {
        let socket = dgram.createSocket(.udp4)
        try? socket.bind(0, "127.0.0.1") {
            print("bound")
            setTimeout(20) { try? socket.close() }
        }
    }
case "huge-timer":
    // Past Node's 32-bit TIMEOUT_MAX: 1 ms and a warning, as in Node, not a crash.
    Node.run { setTimeout(Int.max) { print("timer fired") } }
case "ref-again":
    Node.run {
        let timer = setTimeout(20) { print("timer fired") }
        timer.unref()
        timer.ref()
    }
case "async":
    Node.run {
        await sleep(milliseconds: 20)
        print("resumed after await")
    }
case "uncaught":
    Node.run {
        net.connect(1, "127.0.0.1")  // Nothing listens on port 1 and nobody listens for `error`.
    }
case "uncaught-handled":
    Node.run {
        process.on(.uncaughtException) { error in print("caught: \((error as? NodeError)?.code ?? "?")") }
        net.connect(1, "127.0.0.1")
    }
case "exit-code":
    Node.run { process.exitCode = 3 }
case "exit":
    // process.exit(4) with a timer pending: the line still buffered is written, the timer never
    // fires, and an `exit` listener may change the code, as in Node.
    Node.run {
        process.on(.exit) { code in
            print("exit event \(code)")
            process.exitCode = 9
        }
        setTimeout(60_000) { print("never") }
        print("buffered, no newline", terminator: "")
        process.exit(4)
    }
case "exit-in-exit-listener":
    Node.run {
        process.on(.exit) { code in
            print("exit event \(code)")
            process.exit(7)
        }
        process.exitCode = 2
        process.exit()
    }
case "exit-event-at-idle":
    Node.run {
        process.on(.exit) { code in print("exit event \(code)") }
        process.exitCode = 5
    }
case let quiet where quiet.hasPrefix("quiet-"):
    Node.run { runQuietScenario(quiet) }
default:
    print("unknown scenario \(scenario)")
}
