import ClassroomStudent
import Foundation

// The classroom's network side for the student, apart from `kata` so that `kata` never links
// NodeNet: `kata join` runs `join` on the student's terminal, and `kata` starts `send` in the
// background after each check. Not meant to be typed: `kata` passes the workspace's root.
//
//   kata-report join ROOT ADDRESS --name NAME --code CODE [--fingerprint AB:CD:…]
//   kata-report send ROOT

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: kata-report join ROOT ADDRESS --name NAME --code CODE [--fingerprint FP] | send ROOT"
guard arguments.count >= 2 else {
    say(usage)
    exit(2)
}
let classroom = ClassroomFolder(workspaceRoot: URL(fileURLWithPath: arguments[1]))
let limits = Limits.fromEnvironment()

switch arguments[0] {
case "send":
    exit(SendCommand(classroom: classroom, limits: limits).run())
case "join" where arguments.count >= 3:
    var options: [String: String] = [:]
    var rest = arguments.dropFirst(3)
    while let option = rest.popFirst(), option.hasPrefix("--"), let value = rest.popFirst() {
        options[String(option.dropFirst(2))] = value
    }
    guard let name = options["name"], let code = options["code"] else {
        say(usage)
        exit(2)
    }
    do {
        let command = JoinCommand(
            classroom: classroom, address: try ClassroomAddress(parsing: arguments[2]), name: name,
            code: code,
            expected: try options["fingerprint"].map { text throws(ClassroomProblem) in
                try CAFingerprint(parsing: text)
            },
            limits: limits)
        exit(command.run())
    } catch {
        say("kata join: \(error)")
        exit(1)
    }
default:
    say(usage)
    exit(2)
}
