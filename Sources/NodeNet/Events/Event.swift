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

    /// The name alone, as the emitter files its listeners under it.
    @usableFromInline var key: EventName { EventName(name) }
}

/// An event's name without its emitter and payload types: what ``EventEmitter/listenerAdded(_:)``
/// receives, to compare with a typed event (`event == Event<Socket, Buffer>.data`).
public struct EventName: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline let name: String

    @usableFromInline init(_ name: String) {
        self.name = name
    }

    /// The name as Node spells it.
    public var description: String { name }

    /// Whether `name` is the name of `event`.
    public static func == <Emitter, Payload>(name: EventName, event: Event<Emitter, Payload>) -> Bool {
        name.name == event.name
    }
}

/// A handle to one registered listener, for `off(_:)`.
///
/// Swift closures have no identity to compare, so `on` returns this instead of Node's `this`.
public struct Listener: Hashable, Sendable {
    @usableFromInline let id: Int
    @usableFromInline let event: EventName

    @usableFromInline init(id: Int, event: EventName) {
        self.id = id
        self.event = event
    }
}

extension Event where Emitter == EventEmitter, Payload == Never {
    /// Any emitter's `error`, whatever it carries: emitted with no listener, it is uncaught.
    static var unhandledError: Self { Self("error") }
}
