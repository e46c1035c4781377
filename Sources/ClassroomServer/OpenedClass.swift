import Foundation

/// What a class's start reads and writes on disk before it can listen: its keys, its SQLite file,
/// the join code and the teacher's token, and the boards stored so far.
///
/// Opening waits on the disk (each commit is synced, and a busy disk takes a second to sync), so
/// it runs on a thread of its own: the event loop the server will share with other servers and
/// clients keeps serving them meanwhile, as Node keeps file work off its loop.
struct OpenedClass: Sendable {
    let keys: ClassKeys
    let store: ClassStore
    let joinCode: String
    let teacherToken: String
    let stored: StoredClass

    /// Opens the class in `options.folder`, making its keys and file the first time.
    static func open(_ options: ClassroomOptions) async throws -> OpenedClass {
        try await onAThreadOfItsOwn {
            let keys = try ClassKeys.inFolder(options.folder, hosts: options.certificateHosts)
            let store = try ClassStore(path: options.databasePath)
            return OpenedClass(
                keys: keys, store: store,
                joinCode: try options.joinCode
                    ?? store.setting("joinCode") { ClassroomServer.secret(bytes: 4) },
                teacherToken: try store.setting("teacherToken") { ClassroomServer.secret(bytes: 24) },
                stored: try store.load())
        }
    }
}

/// Runs `work`, which blocks, on a new thread, so that neither the event loop nor the two
/// threads of Swift's cooperative pool (on a two-core laptop) wait for it.
func onAThreadOfItsOwn<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
