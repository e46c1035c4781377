import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, for the programs and peers the tests run.
///
/// Not Foundation's `Process`: on Linux its `run()` lists `/proc/self/fd` to close every
/// descriptor in the child, and copies each entry's whole 256-byte name, reading past the end of
/// the directory buffer. With over a thousand descriptors open (a test process with hundreds of
/// connections) that read now and then crossed into an unmapped page, and the whole test binary
/// died with SIGSEGV in a plain `swift test`. Here the child closes what it inherits with
/// `closefrom` instead, and nothing is listed.
public final class SpawnedChild: Sendable {
    /// The child's process id; it leads a process group of its own (kill `-pid` for the group).
    public let pid: pid_t

    /// Starts `executable` (a path) with `arguments` and exactly `environment`, in `directory`
    /// (nil: this process's), with `input`, `output` and `errors` as its descriptors 0, 1 and 2
    /// (nil: `/dev/null`). `onExit` gets the exit status (or the number of the signal that ended
    /// it) from a thread of its own, once the child has ended.
    ///
    /// A descriptor that is not open (Foundation's `FileHandle.nullDevice` has -1) is refused with
    /// `EBADF`, not left for the child to inherit this process's own in its place.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String],
        directory: URL? = nil, input: Int32? = nil, output: Int32? = nil, errors: Int32? = nil,
        onExit: @escaping @Sendable (Int32) -> Void
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (from, to) in [(input, Int32(0)), (output, 1), (errors, 2)] {
            guard let from else {
                try check(posix_spawn_file_actions_addopen(&actions, to, "/dev/null", O_RDWR, 0), executable)
                continue
            }
            try check(posix_spawn_file_actions_adddup2(&actions, from, to), executable)
        }
        // Descriptors the tests open without close-on-exec stay out of the child.
        if let closeFrom = Self.glibc.closeFrom { try check(closeFrom(&actions, 3), executable) }
        if let directory {
            guard let chdir = Self.glibc.changeDirectory else {
                throw POSIXError(.ENOSYS, "posix_spawn_file_actions_addchdir_np (glibc 2.29)")
            }
            try check(chdir(&actions, directory.path), executable)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The threads tests run on block SIGTERM, and a child inherits its spawner's mask: a
        // program started with it would ignore `stop()`. Its own group, so that a stop reaches
        // what it started too.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0)=\($1)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var started = pid_t()
        let failure = posix_spawn(&started, executable, &actions, &attributes, argv, envp)
        try check(failure, executable)
        let pid = started
        self.pid = pid
        Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            // WIFSIGNALED: the low seven bits are the signal, and not 0x7f (stopped).
            let signal = status & 0x7f
            onExit(signal == 0 ? (status >> 8) & 0xff : signal)
        }.start()
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34) and `…_addchdir_np` (2.29),
    /// which Swift's Glibc module does not declare.
    private static let glibc: (closeFrom: CloseFrom?, changeDirectory: ChangeDirectory?) = (
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map {
            unsafeBitCast($0, to: CloseFrom.self)
        },
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np").map {
            unsafeBitCast($0, to: ChangeDirectory.self)
        }
    )
    private typealias CloseFrom =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
        ) -> Int32
}

/// Throws the error a `posix_spawn…` call answered (they return it rather than set `errno`).
private func check(_ answer: Int32, _ executable: String) throws {
    guard answer != 0 else { return }
    throw POSIXError(POSIXErrorCode(rawValue: answer) ?? .EIO, executable)
}

extension POSIXError {
    /// `code`, for a failure to start `executable`.
    fileprivate init(_ code: POSIXErrorCode, _ executable: String) {
        self.init(code, userInfo: [NSFilePathErrorKey: executable])
    }
}
