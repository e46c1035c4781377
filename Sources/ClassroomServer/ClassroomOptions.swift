import ClassroomWire
import Foundation
import NodeNet

/// What a classroom server is started with; every limit has a default.
public struct ClassroomOptions: Sendable {
    /// Where the class lives: `class.sqlite` and the keys (`ca.key`, `ca.crt`, `server.key`, `server.crt`).
    public var folder: URL
    /// The exercises in the manifest's order (the board's columns; a report may name no other).
    public var exercises: [String]
    /// The TCP port (0 picks a free one).
    public var port: Int
    /// The address to listen on; nil listens on every interface, so the students' machines reach it.
    public var host: String?
    /// The addresses the server certificate must cover besides `localhost` (the LAN's).
    public var certificateHosts: [String]
    /// The HTTP limits (chapter 3's): Node's defaults, so a client that sends half a head and
    /// stalls is answered `408` within a minute (`headersTimeout`), a whole request must come
    /// within five (`requestTimeout`), and the other students are served meanwhile.
    public var http = HTTPServerOptions()
    /// The largest request body read; a larger one is answered `413`.
    public var maxBodyBytes = ClassroomRoute.maxBodyBytes
    /// The most students a class takes (a join code read out in a room can leak; this bounds what
    /// one leaked code can add). A student already in the class may always join again.
    public var maxStudents = 500
    /// The longest student name, in characters.
    public var maxNameLength = 64
    /// The longest failing message kept, in characters (a longer one is cut).
    public var maxMessageLength = 500
    /// The most wrong join codes one address may send within `wrongCodeWindow`; the next attempt
    /// from it, right or wrong, is refused with `429` until the window has passed the oldest.
    public var maxWrongCodes = 10
    /// The window of `maxWrongCodes`, in milliseconds.
    public var wrongCodeWindow = 60_000
    /// The join code; nil keeps the class's own (made at random on its first start).
    public var joinCode: String?
    /// How long the live board waits to gather reports into one push, in milliseconds (a class
    /// reporting 100 times a second gets a few pushes a second, each within this of its report).
    public var pushDelay = 100

    /// Options for a class in `folder` with `exercises`.
    public init(
        folder: URL, exercises: [String], port: Int = 8443, host: String? = nil,
        certificateHosts: [String] = ClassKeys.localAddresses()
    ) {
        self.folder = folder
        self.exercises = exercises
        self.port = port
        self.host = host
        self.certificateHosts = certificateHosts
    }

    /// The class's SQLite file.
    public var databasePath: String { folder.appendingPathComponent("class.sqlite").path }
}
