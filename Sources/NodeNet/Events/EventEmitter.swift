/// Node's `EventEmitter`: named events, each with an ordered list of listeners.
///
/// Every handle in NodeNet (servers, sockets, the process) is one. Listeners run synchronously,
/// in the order they were added, when the event is emitted. An `error` emitted with no listener is
/// an uncaught error, as in Node: see ``NodeProcess``.
@NodeActor open class EventEmitter {
    private struct Registration {
        let id: Int
        let once: Bool
        let call: @NodeActor (Any) -> Void
    }

    private var listeners: [String: [Registration]] = [:]
    private var nextListenerID = 0

    /// A number unique to this emitter for the life of the process, shown by `NODENET_TRACE=1`.
    public let handleID: Int

    /// Creates an emitter with no listeners.
    public init() {
        handleID = Trace.nextHandleID()
    }

    /// What `NODENET_TRACE` prints before each event of this emitter: its type and handle id.
    open var traceLabel: String { "\(type(of: self))#\(handleID)" }

    /// Called after a listener is added; subclasses react as Node does (a `data` listener starts
    /// a socket flowing).
    open func listenerAdded(_ event: String) {}

    func addListener<Payload>(
        _ event: String,
        once: Bool,
        _ listener: @escaping @NodeActor (Payload) -> Void
    ) -> Listener {
        nextListenerID += 1
        let registration = Registration(id: nextListenerID, once: once) { payload in
            // The Event type ties each name to one payload type, so this cast cannot fail.
            listener(payload as! Payload)
        }
        listeners[event, default: []].append(registration)
        listenerAdded(event)
        return Listener(id: nextListenerID, event: event)
    }

    /// Removes one listener, like Node's `off(event, fn)` / `removeListener`.
    public func off(_ listener: Listener) {
        listeners[listener.event]?.removeAll { $0.id == listener.id }
    }

    /// Same as ``off(_:)``.
    public func removeListener(_ listener: Listener) {
        off(listener)
    }

    func count(of event: String) -> Int {
        listeners[event]?.count ?? 0
    }

    /// Lets go of every listener, once the emitter's last event (`close`) has been emitted.
    /// Listeners often capture their own emitter (`socket.on(.data) { _ in socket.write("你好") }`),
    /// a cycle Node's garbage collector frees once the handle is unreachable; reference counting
    /// cannot, so without this every connection, request and response would leak.
    func releaseListeners() {
        listeners.removeAll()
    }

    func removeAll(of event: String) {
        listeners[event] = nil
    }

    @discardableResult
    func emitEvent(_ event: String, _ payload: Any) -> Bool {
        Trace.event(self, event, payload)
        guard let registered = listeners[event], !registered.isEmpty else {
            if event == "error" { process.uncaught(payload as? any Error, from: self) }
            return false
        }
        // Listeners added or removed while emitting take effect from the next emit, as in Node.
        if registered.contains(where: \.once) {
            let onceIDs = Set(registered.filter(\.once).map(\.id))
            listeners[event]?.removeAll { onceIDs.contains($0.id) }
        }
        for registration in registered { registration.call(payload) }
        return true
    }
}

/// The typed face of every ``EventEmitter``: `on`, `once`, `emit` and `listenerCount` take an
/// ``Event`` declared for the emitter's own type (or a superclass of it).
public protocol EventEmitting: EventEmitter {}

extension EventEmitter: EventEmitting {}

extension EventEmitting {
    /// Adds `listener` for every future `event`; returns a handle for ``EventEmitter/off(_:)``.
    @discardableResult
    public func on<Payload>(_ event: Event<Self, Payload>, _ listener: @escaping @NodeActor (Payload) -> Void)
        -> Listener
    {
        addListener(event.name, once: false, listener)
    }

    /// Adds `listener` for the next `event` only.
    @discardableResult
    public func once<Payload>(
        _ event: Event<Self, Payload>,
        _ listener: @escaping @NodeActor (Payload) -> Void
    ) -> Listener {
        addListener(event.name, once: true, listener)
    }

    /// Calls every listener of `event` with `payload`, in order; returns whether there were any.
    ///
    /// An `error` with no listener is handed to the process as an uncaught error.
    @discardableResult
    public func emit<Payload>(_ event: Event<Self, Payload>, _ payload: Payload) -> Bool {
        emitEvent(event.name, payload)
    }

    /// Emits an event that carries nothing.
    @discardableResult
    public func emit(_ event: Event<Self, Void>) -> Bool {
        emitEvent(event.name, ())
    }

    /// How many listeners `event` has.
    public func listenerCount<Payload>(_ event: Event<Self, Payload>) -> Int {
        count(of: event.name)
    }

    /// Removes every listener of `event`.
    public func removeAllListeners<Payload>(_ event: Event<Self, Payload>) {
        removeAll(of: event.name)
    }
}
