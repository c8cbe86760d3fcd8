// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "yachaq",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "yachaq", targets: ["yachaq"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Texts handed to the SMS gateway (Kannel's sendsms); swift-otel builds it already.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Traces to an OTLP collector, over HTTP only (the gRPC exporter would build gRPC too).
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // libpq, used only by the migrator: migration files hold many statements, which
        // PostgresNIO's extended protocol cannot send.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Lets a spawned pg_ctl inherit no descriptor of ours (see EmbeddedPostgres.run).
        .target(name: "CSpawn"),
        .target(name: "YachaqDomain"),
        // The migrations, pages and API description compiled into the binary (see
        // Plugins/EmbedAssets), so that it runs wherever it is copied.
        .executableTarget(name: "embed-assets"),
        .plugin(name: "EmbedAssets", capability: .buildTool(), dependencies: ["embed-assets"]),
        .target(name: "YachaqAssets", plugins: ["EmbedAssets"]),
        .target(
            name: "YachaqStore",
            dependencies: [
                "YachaqDomain",
                "YachaqAssets",
                "CLibPQ",
                "CSpawn",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Demo and benchmark registries: for `yachaq seed` and `yachaq bench`, never a
        // dependency of the service's libraries.
        .target(
            name: "YachaqSeed",
            dependencies: [
                "YachaqDomain",
                "YachaqStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // One type per use case, between the stores and the doors (the API, the pages): each
        // decides who may act and writes through its store.
        .target(
            name: "YachaqActions",
            dependencies: [
                "YachaqDomain", "YachaqStore", .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // What Yachaq says in Spanish, Quechua and English: the translation tables and the words
        // built on them, for the pages and the API alike.
        .target(name: "YachaqWords", dependencies: ["YachaqDomain", "YachaqAssets", "YachaqStore"]),
        // SMS through a gateway (Kannel): the outbox's dispatcher and the gateway's HTTP client.
        .target(
            name: "YachaqSMS",
            dependencies: [
                "YachaqDomain", "YachaqStore", "YachaqWords",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "YachaqServer",
            dependencies: [
                "YachaqActions",
                "YachaqSMS",
                "YachaqWords",
                "YachaqDomain",
                "YachaqAssets",
                "YachaqStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Embedded through YachaqAssets instead.
            exclude: ["Resources"]
        ),
        .executableTarget(
            name: "yachaq",
            dependencies: [
                "YachaqActions",
                "YachaqServer",
                "YachaqSMS",
                "YachaqStore",
                "YachaqSeed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "OTel", package: "swift-otel"),
            ]
        ),
        // Shared by the storage and HTTP tests: one throwaway PostgreSQL cluster per test
        // run, a migrated template database, and a fresh copy of it per test.
        .target(
            name: "YachaqTestSupport",
            dependencies: ["YachaqDomain", "YachaqAssets", "YachaqStore"],
            path: "Tests/Support"
        ),
        .testTarget(name: "YachaqDomainTests", dependencies: ["YachaqDomain"]),
        .testTarget(
            name: "YachaqCommandTests",
            dependencies: [
                "yachaq", "YachaqSeed", "YachaqServer", "YachaqStore", "YachaqTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "YachaqStoreTests", dependencies: ["YachaqStore", "YachaqTestSupport"]),
        .testTarget(
            name: "YachaqServerTests",
            dependencies: [
                "YachaqActions",
                "YachaqServer",
                "YachaqSMS",
                "YachaqTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
    ]
)
