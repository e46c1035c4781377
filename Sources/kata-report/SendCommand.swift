import ClassroomStudent
import ClassroomWire
import Foundation
import NodeNet

/// `kata-report send ROOT`, started in the background by `kata` after each check: sends the newest
/// report in the outbox until one is acknowledged, retrying while the server cannot be reached.
/// One sender works at a time (a lock); one started meanwhile leaves at once, and the one at work
/// picks up its report, since it always sends the newest.
struct SendCommand {
    let classroom: ClassroomFolder
    let limits: Limits

    /// How sending ended.
    enum Outcome: Sendable, Equatable {
        /// Every report waiting was acknowledged (or refused for good).
        case emptied
        /// The server could not be reached within the retry window: the report waits.
        case gaveUp
        /// The server refused the token: nothing more is sent until the student joins again.
        case tokenRefused
    }

    /// Sends; returns the exit status.
    func run() -> Int32 {
        guard let (enrolment, pem) = classroom.enrolment(), !classroom.tokenRefused else { return 0 }
        guard let address = try? ClassroomAddress(parsing: enrolment.address) else {
            log("the stored address \(enrolment.address) is not valid: join again")
            return 1
        }
        let started = Date()
        while true {
            guard let lock = FileLock(classroom.sendLock, waiting: false) else {
                log("another sender is at work; it sends the newest report")
                return 0
            }
            let outcome = withExtendedLifetime(lock) {
                onTheLoop { await drain(to: address, token: enrolment.token, trusting: pem, since: started) }
            }
            // With the lock released, a report posted while it was held (whose own sender left at
            // once) is sent now.
            guard outcome == .emptied, classroom.outbox.newest() != nil else {
                return outcome == .gaveUp ? 1 : 0
            }
        }
    }

    /// Sends the newest report until the outbox is empty, the retry window is over, or the token
    /// is refused.
    @NodeActor
    private func drain(to address: ClassroomAddress, token: String, trusting pem: String, since started: Date)
        async
        -> Outcome
    {
        let outbox = classroom.outbox
        var pause = 1000
        while let report = outbox.newest() {
            let body = (try? ClassroomJSON.encoder().encode(report)).map { [UInt8]($0) } ?? []
            let result = await Exchange.run(
                "PUT", ClassroomRoute.report, to: address, body: body,
                headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")],
                tls: TLSOptions(ca: [pem]), limits: limits)
            switch result {
            case .success(let answer) where answer.status == 200:
                guard let ack = try? ClassroomJSON.decoder().decode(ReportAck.self, from: Data(answer.body))
                else {
                    log("report \(report.sequence): the answer is not an acknowledgement; trying again later")
                    break
                }
                log(
                    "report \(report.sequence) acknowledged (stored: \(ack.stored), server's sequence \(ack.sequence))"
                )
                outbox.acknowledge(ack)
                // An acknowledgement that does not cover it would be sent again forever.
                if ack.sequence < report.sequence { outbox.remove(report.sequence) }
                pause = 1000
                continue
            case .success(let answer) where answer.status == 401:
                log("report \(report.sequence): token refused (401): \(answer.errorMessage)")
                classroom.refuseToken(answer.errorMessage)
                return .tokenRefused
            case .success(let answer) where (400..<500).contains(answer.status):
                // The same report would be refused again: it is dropped, and the student told.
                log("report \(report.sequence) refused (\(answer.status)): \(answer.errorMessage)")
                classroom.leaveNotice(
                    "The classroom server refused your board (\(answer.status)): \(answer.errorMessage)")
                outbox.remove(report.sequence)
                continue
            case .success(let answer):
                log("report \(report.sequence): the server answered \(answer.status): \(answer.errorMessage)")
            case .failure(let failure):
                log("report \(report.sequence): \(explain(failure, at: address))")
            }
            guard Date().timeIntervalSince(started) + Double(pause) / 1000 <= Double(limits.retrySeconds)
            else {
                log("giving up for now: the report waits in the outbox for the next check")
                return .gaveUp
            }
            await pauseUnlessNewer(than: report.sequence, milliseconds: pause)
            pause = min(pause * 2, limits.maxPauseMilliseconds)
        }
        return .emptied
    }

    /// Waits `milliseconds`, or less if a newer report is posted meanwhile.
    @NodeActor
    private func pauseUnlessNewer(than sequence: Int, milliseconds: Int) async {
        let step = 250
        var waited = 0
        while waited < milliseconds, (classroom.outbox.waiting().last ?? 0) <= sequence {
            await sleep(milliseconds: min(step, milliseconds - waited))
            waited += step
        }
    }

    private func log(_ text: String) {
        say("\(Date().formatted(.iso8601)) \(text)")
    }
}

/// Prints a line at once.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
