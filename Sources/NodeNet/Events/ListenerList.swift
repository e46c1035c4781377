/// The listeners of one event name, without their payload type, so one emitter can chain lists of
/// several payload types together.
@usableFromInline @NodeActor class AnyListenerList {
    /// The event's name.
    @usableFromInline let event: EventName
    /// How many listeners there are, kept here so that asking needs no generic code (an
    /// unspecialized generic subclass looks its element type's metadata up on every access).
    @usableFromInline final var count: Int32 = 0
    /// How many of them are `once` listeners (32 bits, as `count`: the two share one word).
    @usableFromInline final var onceCount: Int32 = 0
    /// The emitter's next event with listeners, in the order they came: the emitter keeps its
    /// lists in a chain rather than in an array of its own, one allocation less per emitter (a
    /// connection, a request and its response each are one).
    final var next: AnyListenerList?

    @usableFromInline init(event: EventName) {
        self.event = event
    }

    func remove(id: Int) {}
}

/// The listeners of one event, in the order they were added, typed by what the event carries:
/// emitting calls them with the payload as it is, with no boxing and no cast per listener.
@usableFromInline @NodeActor final class ListenerList<Payload>: AnyListenerList {
    @usableFromInline struct Entry {
        @usableFromInline let id: Int
        @usableFromInline let once: Bool
        @usableFromInline let call: @NodeActor (Payload) -> Void

        @usableFromInline init(id: Int, once: Bool, call: @escaping @NodeActor (Payload) -> Void) {
            self.id = id
            self.once = once
            self.call = call
        }
    }

    /// The first listener, kept in the list itself, then the others: most events have one
    /// listener, which so needs no array of its own (Node, too, keeps a lone listener without
    /// one). An idle connection has a dozen such events.
    @usableFromInline var first: Entry?
    /// The listeners after the first, in order; empty while `first` is nil.
    @usableFromInline var others: [Entry] = []

    // Inlinable, so that a program's `on` makes its lists with their payload type known: the
    // generic init looked the entry type's metadata up at run time for every new list.
    @inlinable override init(event: EventName) {
        super.init(event: event)
    }

    // Inlinable, like the emitter's `addListener`: specialized where a program calls `on`, the
    // list needs no generic metadata looked up at run time.
    @inlinable func append(_ entry: Entry) {
        if first == nil { first = entry } else { others.append(entry) }
        count += 1
        if entry.once { onceCount += 1 }
    }

    override func remove(id: Int) {
        let removed: Entry
        if let first, first.id == id {
            removed = first
            self.first = others.isEmpty ? nil : others.removeFirst()
        } else if let index = others.firstIndex(where: { $0.id == id }) {
            removed = others.remove(at: index)
        } else {
            return
        }
        count -= 1
        if removed.once { onceCount -= 1 }
    }

    /// The listeners to call for one emit, in order; `once` listeners leave the list before any
    /// runs, as in Node, so a listener that emits the same event again does not call them twice.
    func takeForEmit() -> (first: Entry?, others: [Entry]) {
        let current = (first, others)
        if onceCount > 0 {
            others.removeAll(where: \.once)
            if first?.once == true { first = others.isEmpty ? nil : others.removeFirst() }
            onceCount = 0
            count = (first == nil ? 0 : 1) + Int32(others.count)
        }
        return current
    }
}
