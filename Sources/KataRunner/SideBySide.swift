import Foundation
import Synchronization

/// Runs `body` for each of `count` items on up to `workers` threads, each taking the next item
/// when it is done with one, until every item has run or `cancellation` is set: how the runner
/// runs suites, and compiles test files, side by side.
func sideBySide(
    _ count: Int, workers: Int, cancellation: Cancellation?, _ body: @Sendable (Int) -> Void
) {
    let nextIndex = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: min(workers, max(1, count))) { _ in
        while cancellation?.isCancelled != true {
            let next = nextIndex.withLock { next in
                defer { next += 1 }
                return next
            }
            guard next < count else { return }
            body(next)
        }
    }
}
