// swift-tools-version: 6.1
// One package: the NodeNet runtime, one executable per book chapter, the tour, and the tests.
import PackageDescription

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOWebSocket", package: "swift-nio"),
]
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

/// Which copy of the exercises the `Kata` module is built from: the reference solutions by default
/// (so `swift test` is green), the student's files for `swift run kata`, the untouched stubs for
/// `kata verify`. Each mode builds in its own scratch folder, so they never mix.
let kataMode = Context.environment["NODENET_KATA"] ?? "solutions"
let kataTarget: Target =
    switch kataMode {
    case "student":
        .target(
            name: "Kata",
            dependencies: ["NodeNet"],
            path: "Exercises",
            exclude: ["README.md", "kata.json", "Stubs", "Solutions", "Mutants"]
        )
    case "stubs": .target(name: "Kata", dependencies: ["NodeNet"], path: "Exercises/Stubs")
    default: .target(name: "Kata", dependencies: ["NodeNet"], path: "Exercises/Solutions")
    }

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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            path: "Sources/COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // C's stdout and stderr, which Swift 6 cannot read directly (line buffering for pipes).
        .systemLibrary(name: "CStdio", path: "Sources/CStdio"),
        .target(name: "NodeNet", dependencies: nio + ["COpenSSL", "CStdio"]),
        chapter("tcp-echo", folder: "01-tcp"),
        chapter("udp-socket", folder: "02-udp"),
        chapter("http-events", folder: "03-http"),
        chapter("websocket", folder: "04-websocket"),
        chapter("tls-certs", folder: "05-tls"),
        chapter("https-server", folder: "06-https"),
        // The tour runs the chapter programs themselves, so it depends on them to get them built.
        .executableTarget(
            name: "tour", dependencies: ["tcp-echo", "udp-socket", "http-events", "websocket"]),
        // The benchmark runs the chapter programs as they are, so it depends on them to get them
        // built; NodeNet is its TLS load client.
        .executableTarget(
            name: "bench",
            dependencies: [
                "NodeNet", argumentParser, "tcp-echo", "udp-socket", "http-events", "websocket", "tls-certs",
                "https-server",
            ] + nio,
            // The README's numbers and chart, from `swift run -c release bench --json …`.
            exclude: ["Results"]
        ),
        kataTarget,
        // The exercise runner: its logic in a library the tests can reach, its commands in `kata`.
        .target(name: "KataRunner"),
        .executableTarget(name: "kata", dependencies: ["KataRunner", argumentParser]),
        .testTarget(name: "KataRunnerTests", dependencies: ["KataRunner"], exclude: ["Fixtures"]),
        .testTarget(name: "KataTests", dependencies: ["Kata", "NodeNet", "TestSupport"]),
        .target(name: "TestSupport", dependencies: ["NodeNet"], path: "Tests/TestSupport"),
        .testTarget(name: "NodeNetTests", dependencies: ["NodeNet", "TestSupport"] + nio),
        // Tiny programs whose lifetimes the tests watch from outside (exits, exit codes).
        .executableTarget(name: "lifetime-fixture", dependencies: ["NodeNet"], path: "Tests/LifetimeFixture"),
        .testTarget(
            name: "ChapterTests",
            dependencies: [
                "NodeNet", "TestSupport", "tcp-echo", "udp-socket", "http-events", "websocket", "tls-certs",
                "https-server", "tour", "lifetime-fixture", "bench",
            ]
        ),
    ]
)
