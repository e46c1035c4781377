import ClassroomWire
import Foundation
import NodeNet

/// Writes reports in as few transactions as the disk allows (group commit).
///
/// A commit in `synchronous = FULL` waits for the disk to sync the log, some milliseconds on a
/// laptop or a virtual machine: one transaction per report would cap the class at a hundred or so
/// reports a second however fast the rest is. Reports that arrive while a transaction is being
/// written wait for the next one, which takes them all; each is still answered only after the
/// transaction that holds it has committed.
@NodeActor final class GroupCommit {
    private let store: ClassStore
    private var waiting: [(ClassStore.Arrival, CheckedContinuation<ReportAck, any Error>)] = []
    private var writing = false

    init(store: ClassStore) {
        self.store = store
    }

    // excerpt: group-commit
    /// Stores `arrival` with whatever else is waiting; returns once it is committed.
    func record(_ arrival: ClassStore.Arrival) async throws -> ReportAck {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((arrival, continuation))
            writeIfIdle()
        }
    }

    private func writeIfIdle() {
        guard !writing, !waiting.isEmpty else { return }
        writing = true
        let batch = waiting
        waiting = []
        Task { @NodeActor in
            do {
                let acks = try await store.record(batch.map(\.0))
                for ((_, continuation), ack) in zip(batch, acks) { continuation.resume(returning: ack) }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
            writing = false
            writeIfIdle()
        }
    }
    // end excerpt
}
