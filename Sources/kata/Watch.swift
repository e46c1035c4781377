import ArgumentParser
import Foundation
import KataRunner

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-runs whenever a file under Exercises/ changes. Stop with Ctrl-C."
    )
    @Flag(help: "Re-run when you press Enter instead (for file systems that do not report changes).")
    var manual = false

    func run() throws {
        let context = try Context()
        let screen = Screen(context: context, redraws: isatty(1) == 1)
        if manual {
            while true {
                _ = try screen.check(cancellation: nil, footer: "Press Enter to run again, Ctrl-C to stop.")
                guard readLine() != nil else { return }
            }
        }
        let footer = "Watching Exercises/ for changes. Ctrl-C stops; `kata watch --manual` re-runs on Enter."
        while true {
            // The check runs beside the watch, so that a save while it runs cancels it (killing its
            // build or tests) and starts it again on the new files.
            let lastSeen = modificationTimes(context.workspace)
            let cancellation = Cancellation()
            let finished = DispatchSemaphore(value: 0)
            Thread {
                do { _ = try screen.check(cancellation: cancellation, footer: footer) } catch {
                    say("kata: \(error)")
                }
                finished.signal()
            }.start()
            var changed = false
            // Polling mtimes works on every file system, including those that send no events.
            while finished.wait(timeout: .now() + 0.3) == .timedOut {
                if modificationTimes(context.workspace) != lastSeen {
                    changed = true
                    cancellation.cancel()
                }
            }
            if changed { continue }
            while modificationTimes(context.workspace) == lastSeen { Thread.sleep(forTimeInterval: 0.3) }
        }
    }

    private func modificationTimes(_ workspace: Workspace) -> [String: Date] {
        let folder = workspace.root.appendingPathComponent("Exercises")
        let files = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.contentModificationDateKey])
        var times: [String: Date] = [:]
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            times[url.path] =
                (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
        }
        return times
    }
}
