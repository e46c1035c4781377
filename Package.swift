// swift-tools-version: 6.1
// One package: the NodeNet runtime, one executable per book chapter, the tour, and the tests.
import PackageDescription

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
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

let package = Package(
    name: "NodeNetSwift",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NodeNet", targets: ["NodeNet"]),
        .executable(name: "tcp-echo", targets: ["tcp-echo"]),
        .executable(name: "tour", targets: ["tour"]),
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
        // The tour runs the chapter programs themselves, so it depends on them to get them built.
        .executableTarget(name: "tour", dependencies: ["tcp-echo"]),
        .testTarget(name: "NodeNetTests", dependencies: ["NodeNet"] + nio),
        // Tiny programs whose lifetimes the tests watch from outside (exits, exit codes).
        .executableTarget(name: "lifetime-fixture", dependencies: ["NodeNet"], path: "Tests/LifetimeFixture"),
        .testTarget(
            name: "ChapterTests",
            dependencies: ["NodeNet", "tcp-echo", "tour", "lifetime-fixture"]
        ),
    ]
)
