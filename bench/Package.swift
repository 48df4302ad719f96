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
