import ClassroomServer
import ClassroomWire
import Foundation
import NodeNet
import TestSupport
import Testing

/// The teacher's page, drawn by a real browser (headless Chromium) from the live board.
@Suite(.timeLimit(.minutes(1)))
@NodeActor struct BoardPageTests {
    /// A class of three: Ann done and stuck, Bo stuck since earlier, Cy joined and silent.
    private func classOfThree() async throws -> TestClass {
        let room = try await TestClass()
        let ann = try await room.join("Ann")
        let bo = try await room.join("Bo <b>")
        _ = try await room.join("Cy")
        _ = try await room.report(
            ann, boardReport(50, ["greet-and-reply": .done, "line-splitter": .failing]))
        _ = try await room.report(
            bo, boardReport(10, ["greet-and-reply": .failing, "line-splitter": .failing]))
        return room
    }

    /// Chromium's arguments for a page on the class's server (its CA is not the system's).
    private func browserArguments(_ room: TestClass, _ profile: TemporaryDirectory, _ extra: [String])
        -> [String]
    {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--ignore-certificate-errors",
            "--user-data-dir=\(profile.path("profile"))", "--virtual-time-budget=5000",
        ] + extra + [room.server.pageURL()]
    }

    @Test func headlessChromiumDrawsOneRowPerStudentAndTheStuckCounts() async throws {
        let chromium = try requirePeer("chromium")
        let room = try await classOfThree()
        defer { Task { await room.finish() } }
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let run = try await runPeer(chromium, browserArguments(room, work, ["--dump-dom"]), in: work.url)
        let dom = run.output
        #expect(run.status == 0, "\(run)")
        // Every cell, as (student, exercise, state), in the page's order.
        var cells: [String: [String: String]] = [:]
        for row in dom.matches(of: /<tr data-student="([^"]*)">((?s:.*?))<\/tr>/) {
            for cell in row.2.matches(of: /data-exercise="([^"]*)" data-state="([^"]*)"/) {
                cells[String(row.1), default: [:]][String(cell.1)] = String(cell.2)
            }
        }
        #expect(cells.keys.sorted() == ["Ann", "Bo &lt;b&gt;", "Cy"], "student text is text, never markup")
        #expect(
            cells["Ann"] == [
                "greet-and-reply": "done", "line-splitter": "failing", "datagram-echo": "not-started",
                "accept-key": "not-started",
            ])
        #expect(cells["Bo &lt;b&gt;"]?["line-splitter"] == "failing")
        #expect(cells["Cy"]?.values.allSatisfy { $0 == "not-started" } == true)
        let stuck = dom.matches(of: /data-exercise="([^"]*)" data-stuck="(\d+)"/).map { "\($0.1)=\($0.2)" }
        #expect(stuck == ["greet-and-reply=1", "line-splitter=2", "datagram-echo=0", "accept-key=0"])
        // Who needs help: Bo's two (stuck since sequence 10's time) before Ann's (50).
        let help = dom.matches(of: /<li data-student="([^"]*)"/).map { String($0.1) }
        #expect(help == ["Bo &lt;b&gt;", "Bo &lt;b&gt;", "Ann"])
    }

    @Test func aScreenshotOfTheBoardIsTaken() async throws {
        let chromium = try requirePeer("chromium")
        let room = try await classOfThree()
        defer { Task { await room.finish() } }
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let png = work.path("board.png")
        let run = try await runPeer(
            chromium, browserArguments(room, work, ["--screenshot=\(png)", "--window-size=900,500"]),
            in: work.url)
        #expect(run.status == 0, "\(run)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(bytes.count > 10_000, "a page with a grid, not a blank one")
    }
}
