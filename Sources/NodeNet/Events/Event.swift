/// The name of an event an emitter of type `Emitter` emits, with the type of what it carries.
///
/// Events are declared as static members constrained to their emitter, so `socket.on(.data)` knows
/// its listener receives a ``Buffer`` and `socket.on(.close)` a `hadError` flag:
/// ```swift
/// extension Event where Emitter: Socket, Payload == Buffer {
///     public static var data: Self { Self("data") }
/// }
/// ```
/// Events with several arguments in Node carry a tuple here: `{ msg, rinfo in … }`.
public struct Event<Emitter: AnyObject, Payload>: Sendable, Hashable {
    /// The event's name, as Node spells it.
    public let name: String

    /// Declares an event by its Node name.
    public init(_ name: String) {
        self.name = name
    }
}

/// A handle to one registered listener, for `off(_:)`.
///
/// Swift closures have no identity to compare, so `on` returns this instead of Node's `this`.
public struct Listener: Hashable, Sendable {
    let id: Int
    let event: String
}
