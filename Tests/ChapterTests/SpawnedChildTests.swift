import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// How the tests start programs and peers (`SpawnedChild`, not Foundation's `Process`): the child
/// gets its three standard descriptors and nothing else the test process has open, and starts in
/// the folder it is given.
@Suite(.timeLimit(.minutes(1)))
struct SpawnedChildTests {
    @Test func aProgramInheritsOnlyItsStandardDescriptors() async throws {
        // A descriptor opened without close-on-exec, as a careless test (or library) might.
        let open = Glibc.open("/dev/null", O_RDONLY)
        #expect(open > 2)
        defer { close(open) }
        let program = try RunningProgram("/bin/ls", ["/proc/self/fd"])
        #expect(try await program.waitForExit() == 0, "\(program.standardError)")
        // 3 is the folder ls itself opened to list.
        #expect(program.standardOutput.split(separator: "\n") == ["0", "1", "2", "3"])
    }

    @Test func aDescriptorThatIsNotOpenIsRefusedNotReplacedByOurs() throws {
        // Foundation's FileHandle.nullDevice answers -1: the child must not get our stdout instead.
        #expect(throws: POSIXError.self) {
            _ = try SpawnedChild("/bin/true", [], environment: [:], output: -1) { _ in }
        }
    }

    @Test func whatIsNotGivenIsDevNull() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let run = try await runPeer("/bin/readlink", ["/proc/self/fd/0"], in: folder.url)
        #expect(run.output == "/dev/null\n", "\(run)")
    }

    @Test func aPeerRunsInTheFolderItIsGiven() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let run = try await runPeer("/bin/pwd", [], in: folder.url)
        #expect(run.status == 0)
        #expect(run.output == folder.url.resolvingSymlinksInPath().path + "\n")
    }

    @Test func theExitStatusOrTheSignalIsReported() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        #expect(try await runPeer("/bin/sh", ["-c", "exit 3"], in: folder.url).status == 3)
        #expect(try await runPeer("/bin/sh", ["-c", "kill -KILL $$"], in: folder.url).status == SIGKILL)
    }
}
