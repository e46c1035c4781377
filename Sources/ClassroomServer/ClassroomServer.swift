import ClassroomWire
import Foundation
import NodeNet

/// The teacher's server: chapter 6's `https.createServer` with chapter 5's keys, chapter 3's
/// routing by method and path, chapter 4's WebSocket for the live board, and the class in SQLite.
@NodeActor public final class ClassroomServer {
    /// The class's certificates; the CA's fingerprint is what the teacher reads out.
    public let keys: ClassKeys
    /// The code a student needs to join.
    public let joinCode: String
    /// The teacher's secret: the board page, its WebSocket, the board and the export need it.
    public let teacherToken: String
    /// Its hash, which each request's token is compared with.
    private let teacherTokenHash: String
    let options: ClassroomOptions
    let store: ClassStore
    let writer: GroupCommit
    let state: ClassState
    /// Wrong join codes by address (a program guessing codes is stopped).
    var joinAttempts: JoinAttempts
    let server: HTTPSServer
    private(set) var live: LiveBoard!

    /// Opens the class in `options.folder` (making its keys and file the first time) and listens.
    public static func start(_ options: ClassroomOptions) async throws -> ClassroomServer {
        let classroom = try ClassroomServer(options: options, opened: try await OpenedClass.open(options))
        try await classroom.listen()
        return classroom
    }

    private init(options: ClassroomOptions, opened: OpenedClass) throws {
        self.options = options
        keys = opened.keys
        store = opened.store
        writer = GroupCommit(store: opened.store)
        joinCode = opened.joinCode
        teacherToken = opened.teacherToken
        teacherTokenHash = ClassState.hash(teacherToken)
        state = ClassState(exercises: options.exercises, stored: opened.stored)
        joinAttempts = JoinAttempts(
            allowed: options.maxWrongCodes, window: .milliseconds(options.wrongCodeWindow))
        server = try https.createServer(keys.server, options.http)
        // The listener holds the classroom, as a Node server's listener holds what it uses: it
        // lives while it listens, with nobody else keeping a reference; `close` lets it go.
        server.on(.request) { req, res in self.route(req, res) }
        live = LiveBoard(server: server, classroom: self)
    }

    private func listen() async throws {
        let server = server
        let options = options
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            var settled = false
            server.once(.error) { error in
                guard !settled else { return }
                settled = true
                continuation.resume(throwing: error)
            }
            server.listen(options.port, options.host) {
                guard !settled else { return }
                settled = true
                continuation.resume()
            }
        }
    }

    /// The port the server listens on.
    public var port: Int { server.address()?.port ?? options.port }

    /// The address of the teacher's page, for `host`.
    public func pageURL(host: String = "localhost") -> String {
        "https://\(host):\(port)\(ClassroomRoute.page)?token=\(teacherToken)"
    }

    /// What the teacher sees when the server starts: the join command, the code, the fingerprint
    /// to read out, and the page.
    public func banner() -> String {
        let hosts = options.certificateHosts.filter { $0 != "127.0.0.1" }
        let host = hosts.first ?? "localhost"
        return """
            Classroom server on port \(port) (class in \(options.folder.path))
            Students join with:
              swift run kata join https://\(host):\(port) --name NAME --code \(joinCode)
            Join code:          \(joinCode)
            CA fingerprint:     \(keys.fingerprint)
              (read it out: `kata join` shows the one it was sent, and the student checks they match)
            The board:          \(pageURL())
            \(hosts.dropFirst().map { "Also reachable at https://\($0):\(port)" }.joined(separator: "\n"))
            """
    }

    /// Stops listening and closes every connection, the live board's too.
    public func close() async {
        live.close()
        server.closeAllConnections()
        server.removeAllListeners(.request)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            server.close { _ in continuation.resume() }
        }
    }

    /// Whether `token` is the teacher's (compared by hash, so the time taken says nothing of it).
    func isTeacher(_ token: String?) -> Bool {
        guard let token else { return false }
        return ClassState.hash(token) == teacherTokenHash
    }

    /// The board as the wire's JSON, for the page and the live pushes.
    func boardJSON() -> String { state.boardJSON }

    /// A random secret of `bytes` bytes, in hex (OpenSSL's CSPRNG).
    nonisolated static func secret(bytes: Int) -> String {
        crypto.randomBytes(bytes).toString(.hex)
    }
}
