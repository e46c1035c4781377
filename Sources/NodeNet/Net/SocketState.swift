/// Where a ``Socket`` is in its life. Each step only goes forward, so a socket cannot be, say,
/// destroyed and still open.
enum SocketLife: Equatable {
    /// A client socket whose connection does not exist yet.
    case connecting
    /// Connected: both sides may still carry bytes.
    case open
    /// Going away: `destroy()` was called, or connecting failed, and the channel is closing.
    /// `whileConnecting`: the connection does not exist yet and is cut as soon as it does.
    case destroying(whileConnecting: Bool)
    /// Closed: `close` has fired and nothing more happens.
    case closed
}
