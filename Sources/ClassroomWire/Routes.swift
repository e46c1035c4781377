/// The classroom server's addresses, shared by the teacher's server and the student's reporter.
///
/// Every write needs `Authorization: Bearer <token>`: a student's token (from ``JoinResponse``)
/// for ``report``, the teacher's token (printed when the server starts) for ``board``,
/// ``export`` and ``live``. The page at ``page`` carries the teacher's token in its query
/// (`/?token=…`) and passes it on to the WebSocket it opens.
public enum ClassroomRoute {
    /// `GET`: the teacher's board page (HTML); `?token=` the teacher's token.
    public static let page = "/"
    /// `GET`, no token: the class CA's certificate (PEM). A joining student fetches it without
    /// trusting it yet, checks its SHA-256 fingerprint (Node's `fingerprint256` form,
    /// `AB:CD:…`) against the one the teacher read out, and from then on trusts only that CA.
    public static let caCertificate = "/ca.pem"
    /// `POST` a ``JoinRequest``; answers `201` with a ``JoinResponse``, `403` (`bad-code`) for a
    /// wrong join code, `403` (`class-full`) for a new name when the class is full.
    public static let join = "/api/join"
    /// `PUT` a ``BoardReport`` with the student's token; answers `200` with a ``ReportAck``.
    public static let report = "/api/report"
    /// `GET` with the teacher's token: the whole class as a ``ClassBoard`` (JSON).
    public static let board = "/api/board"
    /// `GET` with the teacher's token: the class as CSV, one row per student and exercise.
    public static let export = "/api/export.csv"
    /// WebSocket upgrade, `?token=` the teacher's token: a ``ClassBoard`` text message at once,
    /// and another after every accepted report.
    public static let live = "/live"
    /// The largest request body the server reads; a larger one is answered `413`.
    public static let maxBodyBytes = 64 * 1024
}
