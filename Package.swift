// swift-tools-version: 6.1
// One package: the NodeNet runtime, one executable per book chapter, the tour, and the tests.
import PackageDescription

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOWebSocket", package: "swift-nio"),
]
let nioPackage: Package.Dependency = .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

/// A chapter folder holds its prose (README.md), its Node twin (node/) and its Swift program.
func chapter(_ name: String, folder: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["NodeNet", argumentParser],
        path: "Chapters/\(folder)",
        exclude: ["README.md", "node"]
    )
}

/// Which copy of the exercises the `Kata` module (the one the kata tests import) is built from.
///
/// By default the reference solutions, so `swift test` is green while the exercises are unsolved;
/// the student's own files are then the module `Exercises`, built but used by no test, so an
/// editor (SourceKit-LSP reads this default manifest) knows them and go-to-definition stays in them.
/// `kata` sets `NODENET_KATA` for its own builds: `student`, `stubs`, `solutions`, or `round` (the
/// folder named by `NODENET_KATA_ROUND`, where `kata verify` swaps mutants in). In those modes the
/// package holds only what the kata tests need, so a kata build and its test bundle stay small.
/// The student's builds share `.build/` with this default manifest's (the runtime is built once);
/// `kata verify`'s go to `.build-kata-verify/`.
let kataMode = Context.environment["NODENET_KATA"]
/// What every student-file module leaves out: the other copies, and what is not Swift.
let notStudentFiles = ["README.md", "kata.json", "Stubs", "Solutions", "Mutants"]
func kata(from mode: String?) -> Target {
    switch mode {
    case "student":
        .target(name: "Kata", dependencies: ["NodeNet"], path: "Exercises", exclude: notStudentFiles)
    case "stubs": .target(name: "Kata", dependencies: ["NodeNet"], path: "Exercises/Stubs")
    case "round":
        .target(name: "Kata", dependencies: ["NodeNet"], path: Context.environment["NODENET_KATA_ROUND"])
    default: .target(name: "Kata", dependencies: ["NodeNet"], path: "Exercises/Solutions")
    }
}

/// The runtime and its system libraries: every mode builds these.
let runtime: [Target] = [
    .systemLibrary(
        name: "COpenSSL",
        path: "Sources/COpenSSL",
        pkgConfig: "openssl",
        providers: [.apt(["libssl-dev"])]
    ),
    // C's stdout and stderr, which Swift 6 cannot read directly (line buffering for pipes).
    .systemLibrary(name: "CStdio", path: "Sources/CStdio"),
    .target(name: "NodeNet", dependencies: nio + ["COpenSSL", "CStdio"]),
]
/// The kata tests and what they stand on: all a kata-mode build holds.
let kataTests: [Target] = [
    kata(from: kataMode),
    .testTarget(
        name: "KataTests",
        dependencies: ["Kata", "NodeNet", "TestSupport"],
        // The toolchain's lld links the test binary in two thirds of gold's time: a save relinks it.
        linkerSettings: [.unsafeFlags(["-use-ld=lld"], .when(platforms: [.linux]))]
    ),
    .target(name: "TestSupport", dependencies: ["NodeNet"], path: "Tests/TestSupport"),
]
/// The student's side of the classroom: `kata-report` joins (`kata join`) and sends the reports
/// `kata` leaves in `.kata-classroom/`.
let classroomStudent: [Target] = [
    // What the classroom's teacher server and the students' reporters say to each other.
    .target(name: "ClassroomWire"),
    // The join and the outbox on disk, shared by `kata` (which writes) and `kata-report` (which sends).
    .target(name: "ClassroomStudent", dependencies: ["ClassroomWire"]),
    .executableTarget(name: "kata-report", dependencies: ["NodeNet", "ClassroomWire", "ClassroomStudent"]),
]

let package = Package(
    name: "NodeNetSwift",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NodeNet", targets: ["NodeNet"]),
        .executable(name: "tcp-echo", targets: ["tcp-echo"]),
        .executable(name: "udp-socket", targets: ["udp-socket"]),
        .executable(name: "http-events", targets: ["http-events"]),
        .executable(name: "websocket", targets: ["websocket"]),
        .executable(name: "tls-certs", targets: ["tls-certs"]),
        .executable(name: "https-server", targets: ["https-server"]),
        .executable(name: "tour", targets: ["tour"]),
        .executable(name: "kata", targets: ["kata"]),
        .executable(name: "bench", targets: ["bench"]),
        .executable(name: "fuzz", targets: ["fuzz"]),
        .executable(name: "classroom", targets: ["classroom"]),
    ],
    dependencies: [
        nioPackage,
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        // `swift package generate-documentation --target NodeNet`: the API reference (NodeNet.docc).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: runtime + kataTests + classroomStudent + [
        chapter("tcp-echo", folder: "01-tcp"),
        chapter("udp-socket", folder: "02-udp"),
        chapter("http-events", folder: "03-http"),
        chapter("websocket", folder: "04-websocket"),
        chapter("tls-certs", folder: "05-tls"),
        chapter("https-server", folder: "06-https"),
        // The tour runs the chapter programs themselves, so it depends on them to get them built.
        .executableTarget(
            name: "tour",
            dependencies: ["tcp-echo", "udp-socket", "http-events", "websocket", "tls-certs", "https-server"]
        ),
        // The benchmark runs the chapter programs (and chapter 7's classroom) as they are, so it
        // depends on them to get them built; NodeNet is its TLS load client.
        .executableTarget(
            name: "bench",
            dependencies: [
                "NodeNet", argumentParser, "tcp-echo", "udp-socket", "http-events", "websocket", "tls-certs",
                "https-server", "classroom", "ClassroomWire", "CStdio",
            ] + nio,
            // The README's numbers and chart, from `swift run -c release bench --json …`, and the
            // page that tells how they are taken.
            exclude: ["Results", "README.md"]
        ),
        // The fuzzers: the targets and the mutation engine in a library the tests run a short
        // round of, the long runs (each batch in a child process, so a trap is caught) in `fuzz`.
        .target(
            name: "FuzzKit",
            dependencies: [
                "NodeNet",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "fuzz", dependencies: ["FuzzKit", argumentParser], exclude: ["README.md"]),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzKit", "NodeNet"]),
        // The student's own files, for the editor (see `kataMode`).
        .target(name: "Exercises", dependencies: ["NodeNet"], path: "Exercises", exclude: notStudentFiles),
        // The teacher's server (chapters 1–6 together, its class kept in SQLite), and its command.
        .target(
            name: "ClassroomServer",
            dependencies: ["NodeNet", "ClassroomWire", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "classroom",
            dependencies: ["ClassroomServer", "ClassroomWire", "KataRunner", argumentParser]),
        .testTarget(
            name: "ClassroomTests",
            dependencies: ["ClassroomServer", "ClassroomWire", "NodeNet", "TestSupport", "classroom"]
        ),
        // The exercise runner: its logic in a library the tests can reach, its commands in `kata`.
        .target(name: "KataRunner", dependencies: ["ClassroomStudent"]),
        // `kata` runs `kata-report` but does not link it (nor NodeNet, so it starts at once). Its
        // dependency makes `swift run kata` build SwiftNIO and the runtime beside ArgumentParser,
        // before the exercises' own build (in `.build/` too) needs them.
        .executableTarget(
            name: "kata", dependencies: ["KataRunner", "ClassroomStudent", argumentParser, "kata-report"]),
        .testTarget(
            name: "KataRunnerTests",
            dependencies: [
                "KataRunner", "ClassroomStudent", "ClassroomWire", "ClassroomServer", "NodeNet",
                "TestSupport",
                "kata", "kata-report",
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "NodeNetTests", dependencies: ["NodeNet", "TestSupport"] + nio),
        // Tiny programs whose lifetimes the tests watch from outside (exits, exit codes).
        .executableTarget(name: "lifetime-fixture", dependencies: ["NodeNet"], path: "Tests/LifetimeFixture"),
        .testTarget(
            name: "ChapterTests",
            dependencies: [
                "NodeNet", "TestSupport", "tcp-echo", "udp-socket", "http-events", "websocket", "tls-certs",
                "https-server", "tour", "lifetime-fixture", "bench", "fuzz",
            ]
        ),
    ]
)

if kataMode != nil {
    // A kata build: the runtime and the kata tests only (no chapter program, no other test).
    package.products = []
    package.dependencies = [nioPackage]
    package.targets = runtime + kataTests
}
