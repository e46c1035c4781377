/// What `kata join` keeps: where the class is, who the student is there, and the token that lets
/// them write their own row. The class CA the student checked is kept beside it, in `ca.pem`.
public struct Enrolment: Codable, Sendable, Equatable {
    /// The teacher's server, `https://HOST:PORT`.
    public var address: String
    /// The student's name on the teacher's board.
    public var name: String
    /// The student's secret (`Authorization: Bearer …`); the file holding it is the student's alone.
    public var token: String
    /// The SHA-256 fingerprint of the class CA the student checked, `AB:CD:…`.
    public var caFingerprint: String

    /// Creates an enrolment.
    public init(address: String, name: String, token: String, caFingerprint: String) {
        self.address = address
        self.name = name
        self.token = token
        self.caFingerprint = caFingerprint
    }
}
