import ArgumentParser
import ClassroomStudent
import KataRunner

struct Join: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Joins your teacher's classroom: from then on every check sends your board to the teacher.",
        discussion: """
            Sent: your name, each exercise's name and state (done, failing, not started), the first \
            thing a failing exercise's tests said, and when each state changed. Never your code.
            """
    )
    @Argument(help: "The classroom's address, as the teacher's screen shows it: https://HOST:PORT.")
    var address: String
    @Option(help: "Your name, as the teacher will see it.") var name: String
    @Option(help: "The join code the teacher gave out.") var code: String
    @Option(
        help:
            "The class CA's fingerprint the teacher read out (AB:CD:…); without it you are shown it and asked."
    )
    var fingerprint: String?

    func run() throws {
        let context = try Context()
        // A mistyped address is said at once, before any build.
        let classroom = try ClassroomAddress(parsing: address)
        let expected = try fingerprint.map { text throws(ClassroomProblem) in try CAFingerprint(parsing: text)
        }
        let reporting = ClassroomReporting(workspace: context.workspace)
        say("Building the classroom reporter (the first time: a few minutes)…")
        if case .failed(let output) = try reporting.buildSender() {
            say(output)
            throw KataError("the classroom reporter did not build (its output is above)")
        }
        let status = try ChildProcess.runInForeground(
            reporting.sender.path,
            ["join", context.workspace.root.path, classroom.description, "--name", name, "--code", code]
                + (expected.map { ["--fingerprint", $0.description] } ?? []))
        guard status == 0 else { throw ExitCode(status) }
        // The board as the last check left it (nothing is built or run), so the teacher sees you now.
        context.reportToClassroom(context.checker.known().progress)
    }
}
