/// The listeners of one event name, without their payload type, so one emitter can hold lists of
/// several payload types in one dictionary.
@usableFromInline @NodeActor class AnyListenerList {
    /// The event's name.
    @usableFromInline let event: EventName
    /// How many listeners there are, kept here so that asking needs no generic code (an
    /// unspecialized generic subclass looks its element type's metadata up on every access).
    @usableFromInline final var count = 0

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

    @usableFromInline var entries: [Entry] = []
    @usableFromInline var onceCount = 0

    @usableFromInline override init(event: EventName) {
        super.init(event: event)
    }

    // Inlinable, like the emitter's `addListener`: specialized where a program calls `on`, the
    // list needs no generic metadata looked up at run time.
    @inlinable func append(_ entry: Entry) {
        entries.append(entry)
        count = entries.count
        if entry.once { onceCount += 1 }
    }

    override func remove(id: Int) {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return }
        if entries.remove(at: index).once { onceCount -= 1 }
        count = entries.count
    }

    /// The listeners to call for one emit; `once` listeners leave the list before any runs, as in
    /// Node, so a listener that emits the same event again does not call them twice.
    func takeForEmit() -> [Entry] {
        let current = entries
        if onceCount > 0 {
            entries.removeAll(where: \.once)
            onceCount = 0
            count = entries.count
        }
        return current
    }
}
