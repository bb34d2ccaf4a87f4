// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "payoutmon",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "payoutmon", targets: ["payoutmon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            path: "Sources/CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "PayoutCore"),
        .target(
            name: "PayoutStore",
            dependencies: [
                "PayoutCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(name: "PayoutSync", dependencies: ["PayoutStore", "PayoutCore"]),
        .target(name: "PayoutTUI", dependencies: ["PayoutCore", "PayoutSync"]),
        .target(name: "NcursesTerminal", dependencies: ["CNcursesw", "PayoutTUI"]),
        .executableTarget(
            name: "payoutmon",
            dependencies: [
                "PayoutCore", "PayoutStore", "PayoutSync", "PayoutTUI", "NcursesTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(name: "payoutmon-bench", dependencies: ["PayoutCore", "PayoutStore", "PayoutSync", "PayoutTUI"], path: "Benchmarks/payoutmon-bench"),
        .testTarget(name: "PayoutCoreTests", dependencies: ["PayoutCore"], exclude: ["Golden"]),
        .testTarget(name: "PayoutTUITests", dependencies: ["PayoutTUI"], exclude: ["Golden"]),
        .testTarget(
            name: "PayoutStoreTests",
            dependencies: ["PayoutStore", "PayoutCore", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "PayoutCLITests", dependencies: ["payoutmon", "PayoutCore", "PayoutStore"]),
        .testTarget(name: "PayoutSyncTests", dependencies: ["PayoutSync", "PayoutStore", "PayoutCore"]),
    ],
    swiftLanguageModes: [.v6]
)
