/// The listeners of one event name, without their payload type, so one emitter can hold lists of
/// several payload types in one dictionary.
@NodeActor class AnyListenerList {
    var count: Int { 0 }

    func remove(id: Int) {}
}

/// The listeners of one event, in the order they were added, typed by what the event carries:
/// emitting calls them with the payload as it is, with no boxing and no cast per listener.
@NodeActor final class ListenerList<Payload>: AnyListenerList {
    struct Entry {
        let id: Int
        let once: Bool
        let call: @NodeActor (Payload) -> Void
    }

    private(set) var entries: [Entry] = []
    private var onceCount = 0

    override var count: Int { entries.count }

    func append(_ entry: Entry) {
        entries.append(entry)
        if entry.once { onceCount += 1 }
    }

    override func remove(id: Int) {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return }
        if entries.remove(at: index).once { onceCount -= 1 }
    }

    /// The listeners to call for one emit; `once` listeners leave the list before any runs, as in
    /// Node, so a listener that emits the same event again does not call them twice.
    func takeForEmit() -> [Entry] {
        let current = entries
        if onceCount > 0 {
            entries.removeAll(where: \.once)
            onceCount = 0
        }
        return current
    }
}
