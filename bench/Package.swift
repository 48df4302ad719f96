// swift-tools-version:6.2
import PackageDescription

/// Atrium's benchmarks: a package of their own, so the main build never compiles them.
let package = Package(
    name: "atrium-bench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "atrium", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "dicom-parse-bench",
            dependencies: [
                .product(name: "DICOM", package: "atrium"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
        // The bare Hummingbird server that bench/broker/run.sh measures the broker against.
        .executableTarget(
            name: "atrium-bench-baseline",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "broker/Baseline",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
        // Atrium's HTTP transport against async-http-client (bench/notifications/run.py).
        .executableTarget(
            name: "atrium-bench-http-clients",
            dependencies: [
                .product(name: "Notifications", package: "atrium"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "notifications/Clients",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
        // The notification receiver of bench/notifications/run.py.
        .executableTarget(
            name: "atrium-bench-receiver",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "notifications/Receiver",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
    ]
)
