import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `NODENET_TRACE=1`, NodeNet's `NODE_DEBUG`: prints every event as it is emitted, to stderr,
/// with the time since start, the emitter's type and handle id, and a short view of the payload.
@NodeActor enum Trace {
    static let enabled: Bool = {
        guard let value = getenv("NODENET_TRACE") else { return false }
        return !["", "0", "false"].contains(String(cString: value))
    }()

    private static let start = NIODeadline.now()
    private static var lastHandleID = 0

    static func nextHandleID() -> Int {
        lastHandleID += 1
        return lastHandleID
    }

    static func event(_ emitter: EventEmitter, _ name: String, _ payload: Any) {
        guard enabled else { return }
        let origin = start  // Read first: the first event starts the clock.
        let micros = (NIODeadline.now() - origin).nanoseconds / 1000
        let fraction = String(micros % 1000)
        let time = "\(micros / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
        var line = "[nodenet +\(time)ms] \(emitter.traceLabel) \(name)"
        let shown = describe(payload)
        if !shown.isEmpty { line += " " + shown }
        CStandardStreams.printError(line + "\n")
    }

    private static func describe(_ payload: Any) -> String {
        switch payload {
        case is Void: return ""
        case let buffer as Buffer: return "(\(buffer.count) bytes)"
        case let emitter as EventEmitter: return emitter.traceLabel
        default:
            let text = String(describing: payload)
            return text.count > 80 ? String(text.prefix(77)) + "..." : text
        }
    }
}
