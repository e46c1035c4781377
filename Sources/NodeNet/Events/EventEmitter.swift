/// Node's `EventEmitter`: named events, each with an ordered list of listeners.
///
/// Every handle in NodeNet (servers, sockets, the process) is one. Listeners run synchronously,
/// in the order they were added, when the event is emitted. An `error` emitted with no listener is
/// an uncaught error, as in Node: see ``NodeProcess``.
@NodeActor open class EventEmitter {
    /// The first of the lists of events that have listeners, each chained to the next in the order
    /// they came. An emitter has a handful of events: a walk compares short names, where a
    /// dictionary hashed the name on every `on` and `emit`, and an array was one more allocation
    /// for every emitter.
    var firstList: AnyListenerList?
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
    /// a socket flowing: `if event == Event<Socket, Buffer>.data { … }`).
    open func listenerAdded(_ event: EventName) {}

    // Inlinable, with `on` and `once`: a program's calls are specialized for their payload type,
    // where a generic call looked the list's type metadata up at run time, for every listener.
    @inlinable func addListener<Payload>(
        _ event: EventName,
        once: Bool,
        _ listener: @escaping @NodeActor (Payload) -> Void
    ) -> Listener {
        let list: ListenerList<Payload>
        if let existing = self.list(of: event) {
            list = typed(existing, event)
        } else {
            list = ListenerList(event: event)
            keep(list)
        }
        let id = newListenerID()
        list.append(.init(id: id, once: once, call: listener))
        listenerAdded(event)
        return Listener(id: id, event: event)
    }

    // Not inlined: a program's module would reach these stored properties through accessor calls,
    // each with its own exclusivity check.
    @usableFromInline func newListenerID() -> Int {
        nextListenerID += 1
        return nextListenerID
    }

    @usableFromInline func keep(_ list: AnyListenerList) {
        guard var last = firstList else {
            firstList = list
            return
        }
        while let next = last.next { last = next }
        last.next = list
    }

    @usableFromInline func list(of event: EventName) -> AnyListenerList? {
        var list = firstList
        while let current = list {
            if current.event == event { return current }
            list = current.next
        }
        return nil
    }

    /// Takes `list` out of the chain.
    private func unlink(_ list: AnyListenerList) {
        if firstList === list {
            firstList = list.next
        } else {
            var previous = firstList
            while let current = previous, current.next !== list { previous = current.next }
            previous?.next = list.next
        }
        list.next = nil
    }

    /// An event name stands for one payload type on one emitter; two `Event` declarations that
    /// share a name but not a payload on the same emitter are a programming error.
    @inlinable func typed<Payload>(_ list: AnyListenerList, _ event: EventName) -> ListenerList<Payload> {
        guard let typed = list as? ListenerList<Payload> else {
            preconditionFailure("event '\(event)' of \(traceLabel) is declared with two payload types")
        }
        return typed
    }

    /// Removes one listener, like Node's `off(event, fn)` / `removeListener`.
    public func off(_ listener: Listener) {
        guard let list = list(of: listener.event) else { return }
        list.remove(id: listener.id)
        forgetIfEmpty(list)
    }

    /// Drops an event's list once it has no listener, as Node deletes the event's key: a
    /// connection keeps no storage for events that had listeners once (an HTTP connection's,
    /// taken off at an upgrade; a `once` that has fired).
    private func forgetIfEmpty(_ list: AnyListenerList) {
        if list.count == 0 { unlink(list) }
    }

    /// Same as ``off(_:)``.
    public func removeListener(_ listener: Listener) {
        off(listener)
    }

    /// The names of the events that have listeners, in the order their first listener came (an
    /// event whose listeners all went and came back again goes last), as Node's `eventNames()`.
    public func eventNames() -> [String] {
        var names: [String] = []
        var list = firstList
        while let current = list {
            names.append(current.event.name)
            list = current.next
        }
        return names
    }

    func count(of event: EventName) -> Int {
        Int(list(of: event)?.count ?? 0)
    }

    /// Lets go of every listener, once the emitter's last event (`close`) has been emitted.
    /// Listeners often capture their own emitter (`socket.on(.data) { _ in socket.write("你好") }`),
    /// a cycle Node's garbage collector frees once the handle is unreachable; reference counting
    /// cannot, so without this every connection, request and response would leak.
    func releaseListeners() {
        firstList = nil
    }

    func removeAll(of event: EventName) {
        if let list = list(of: event) { unlink(list) }
    }

    @discardableResult
    func emitEvent<Payload>(_ event: EventName, _ payload: Payload) -> Bool {
        if Trace.enabled { Trace.event(self, event.name, payload) }
        guard let list = list(of: event), list.count > 0 else {
            if event == Event<EventEmitter, Never>.unhandledError {
                process.uncaught(payload as? any Error, from: self)
            }
            return false
        }
        // Listeners added or removed while emitting take effect from the next emit, as in Node.
        let typedList: ListenerList<Payload> = typed(list, event)
        let (first, others) = typedList.takeForEmit()
        forgetIfEmpty(typedList)
        first?.call(payload)
        for entry in others { entry.call(payload) }
        return true
    }
}

/// The typed face of every ``EventEmitter``: `on`, `once`, `emit` and `listenerCount` take an
/// ``Event`` declared for the emitter's own type (or a superclass of it).
public protocol EventEmitting: EventEmitter {}

extension EventEmitter: EventEmitting {}

extension EventEmitting {
    /// Adds `listener` for every future `event`; returns a handle for ``EventEmitter/off(_:)``.
    @inlinable @discardableResult
    public func on<Payload>(_ event: Event<Self, Payload>, _ listener: @escaping @NodeActor (Payload) -> Void)
        -> Listener
    {
        addListener(event.key, once: false, listener)
    }

    /// Adds `listener` for the next `event` only.
    @inlinable @discardableResult
    public func once<Payload>(
        _ event: Event<Self, Payload>,
        _ listener: @escaping @NodeActor (Payload) -> Void
    ) -> Listener {
        addListener(event.key, once: true, listener)
    }

    /// Calls every listener of `event` with `payload`, in order; returns whether there were any.
    ///
    /// An `error` with no listener is handed to the process as an uncaught error.
    @discardableResult
    public func emit<Payload>(_ event: Event<Self, Payload>, _ payload: Payload) -> Bool {
        emitEvent(event.key, payload)
    }

    /// Emits an event that carries nothing.
    @discardableResult
    public func emit(_ event: Event<Self, Void>) -> Bool {
        emitEvent(event.key, ())
    }

    /// How many listeners `event` has.
    public func listenerCount<Payload>(_ event: Event<Self, Payload>) -> Int {
        count(of: event.key)
    }

    /// Removes every listener of `event`.
    public func removeAllListeners<Payload>(_ event: Event<Self, Payload>) {
        removeAll(of: event.key)
    }
}
