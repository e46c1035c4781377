import ClassroomStudent
import ClassroomWire
import Foundation
import NodeNet

#if canImport(Glibc)
    import Glibc
#endif

/// `kata-report join ROOT ADDRESS --name NAME --code CODE [--fingerprint FP]`, run by `kata join`
/// on the student's terminal: fetches the class CA without trusting it, has its fingerprint
/// checked, then joins over TLS that trusts that CA alone, and stores what it needs to report.
struct JoinCommand {
    let classroom: ClassroomFolder
    let address: ClassroomAddress
    let name: String
    let code: String
    let expected: CAFingerprint?
    let limits: Limits

    /// Joins; returns the exit status, having said what happened.
    func run() -> Int32 {
        do {
            let pem = try fetchCA()
            let fingerprint = try CAFingerprint(parsing: try X509Certificate(pem: pem).fingerprint256)
            try confirm(fingerprint)
            let joined = try join(trusting: pem)
            try classroom.save(
                Enrolment(
                    address: address.description, name: joined.name, token: joined.token,
                    caFingerprint: fingerprint.description),
                caPEM: pem)
            say(
                "Joined the classroom at \(address) as \(joined.name). From now on `swift run kata`, "
                    + "`kata watch` and `kata run` send your board to the teacher in the background.")
            return 0
        } catch let problem as ClassroomProblem {
            say("kata join: \(problem.description)")
        } catch {
            say(
                "kata join: \(address)/ca.pem is not a certificate (\(error)): is this the classroom's address?"
            )
        }
        return 1
    }

    /// `GET /ca.pem`, trusting nothing yet: what it says is checked by its fingerprint next.
    private func fetchCA() throws(ClassroomProblem) -> String {
        let answer = try exchange(
            "GET", ClassroomRoute.caCertificate, tls: TLSOptions(rejectUnauthorized: false))
        guard answer.status == 200 else {
            throw ClassroomProblem(
                "\(address) answered \(answer.status) for \(ClassroomRoute.caCertificate): is this the classroom's address?"
            )
        }
        return String(decoding: answer.body, as: UTF8.self)
    }

    /// Compares the CA's fingerprint with the one the teacher read out: given, or typed `y` to.
    private func confirm(_ fingerprint: CAFingerprint) throws(ClassroomProblem) {
        if let expected {
            guard expected == fingerprint else {
                throw ClassroomProblem(
                    "the server's CA fingerprint is \(fingerprint), but the one you were given is \(expected). "
                        + "Not joined: check the address, and ask your teacher; another machine may be answering."
                )
            }
            return
        }
        guard isatty(0) == 1 else {
            throw ClassroomProblem(
                "no --fingerprint was given, and there is no terminal to ask you on. Pass the fingerprint "
                    + "your teacher read out: --fingerprint AB:CD:…")
        }
        say("The classroom's CA fingerprint (SHA-256) is\n  \(fingerprint)")
        FileHandle.standardOutput.write(Data("Is it the one your teacher read out? Type y to join: ".utf8))
        guard let answer = readLine(),
            ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
        else { throw ClassroomProblem("not joined: the fingerprint was not confirmed.") }
    }

    /// `POST /api/join` over TLS that trusts `pem` alone, and checks the host name against it.
    private func join(trusting pem: String) throws(ClassroomProblem) -> JoinResponse {
        let request = JoinRequest(name: name, code: code)
        let body = (try? ClassroomJSON.encoder().encode(request)).map { [UInt8]($0) } ?? []
        let answer = try exchange(
            "POST", ClassroomRoute.join, body: body, headers: [("Content-Type", "application/json")],
            tls: TLSOptions(ca: [pem]))
        switch answer.status {
        case 201:
            guard let joined = try? ClassroomJSON.decoder().decode(JoinResponse.self, from: Data(answer.body))
            else {
                throw ClassroomProblem("\(address) answered the join with something that is not a token.")
            }
            return joined
        case 401:
            throw ClassroomProblem(
                "the join code was not accepted (the server said: \(answer.errorMessage)). Check the code your teacher gave out."
            )
        default:
            throw ClassroomProblem("the server refused the join (\(answer.status)): \(answer.errorMessage)")
        }
    }

    private func exchange(
        _ method: String, _ path: String, body: [UInt8] = [], headers: [(String, String)] = [],
        tls: TLSOptions
    ) throws(ClassroomProblem) -> Answer {
        let (address, limits) = (address, limits)
        let result = onTheLoop {
            await Exchange.run(
                method, path, to: address, body: body, headers: headers, tls: tls, limits: limits)
        }
        switch result {
        case .success(let answer): return answer
        case .failure(let failure): throw ClassroomProblem(explain(failure, at: address))
        }
    }
}
