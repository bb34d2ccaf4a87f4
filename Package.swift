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
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/drmohundro/SWXMLHash", from: "8.1.1"),
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
            name: "PayoutFormats",
            dependencies: [
                "PayoutCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "SWXMLHash", package: "SWXMLHash"),
            ]
        ),
        .target(
            name: "PayoutStore",
            dependencies: [
                "PayoutCore", "PayoutFormats",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for binding the hottest inserts' values without boxing them (`RawStatement`).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The demo data set and the simulated acquirer feed: they read and write through the store's methods (no GRDB).
        .target(name: "PayoutDemo", dependencies: ["PayoutCore", "PayoutFormats", "PayoutStore"]),
        .target(name: "PayoutModel", dependencies: ["PayoutCore"]),
        .target(name: "PayoutSync", dependencies: ["PayoutModel", "PayoutStore", "PayoutCore"]),
        .target(name: "PayoutTUI", dependencies: ["PayoutCore", "PayoutModel"]),
        .target(name: "NcursesTerminal", dependencies: ["CNcursesw", "PayoutTUI"]),
        .executableTarget(
            name: "payoutmon",
            dependencies: [
                "PayoutCore", "PayoutModel", "PayoutFormats", "PayoutStore", "PayoutDemo", "PayoutSync", "PayoutTUI", "NcursesTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(name: "payoutmon-bench", dependencies: ["PayoutCore", "PayoutModel", "PayoutFormats", "PayoutStore", "PayoutSync", "PayoutTUI"], path: "Benchmarks/payoutmon-bench"),
        // Test doubles and helpers shared by the test targets; never linked into the program.
        .target(name: "PayoutTestSupport", dependencies: ["PayoutCore", "PayoutModel", "PayoutTUI", "PayoutDemo", "PayoutStore",
                                                   .product(name: "GRDB", package: "GRDB.swift")], path: "Tests/PayoutTestSupport"),
        .testTarget(name: "PayoutCoreTests", dependencies: ["PayoutCore", "PayoutDemo"], exclude: ["Golden"]),
        .testTarget(name: "PayoutTUITests", dependencies: ["PayoutTUI", "PayoutModel", "PayoutTestSupport"], exclude: ["Golden"]),
        .testTarget(
            name: "PayoutStoreTests",
            dependencies: ["PayoutStore", "PayoutDemo", "PayoutFormats", "PayoutCore", "PayoutTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "PayoutDemoTests",
            dependencies: ["PayoutDemo", "PayoutStore", "PayoutFormats", "PayoutCore", "PayoutTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "PayoutCLITests", dependencies: ["payoutmon", "PayoutCore", "PayoutFormats", "PayoutStore", "PayoutDemo", "PayoutTestSupport", "PayoutSync", "PayoutTUI", "PayoutModel"], exclude: ["Scenarios"]),
        .testTarget(name: "PayoutFormatsTests", dependencies: ["PayoutFormats", "PayoutCore"]),
        .testTarget(name: "ArchitectureTests", dependencies: ["PayoutTestSupport"]),
        .testTarget(name: "PayoutBenchTests", dependencies: ["payoutmon-bench", "PayoutTUI", "PayoutTestSupport"]),
        .testTarget(name: "PayoutSyncTests", dependencies: ["PayoutSync", "PayoutModel", "PayoutFormats", "PayoutStore", "PayoutCore", "PayoutTUI", "PayoutTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
