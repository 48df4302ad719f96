import ArgumentParser
import ContextBroker
import Foundation
import HTTPSupport
import Logging
import ServiceLifecycle
import UnixSignals

/// `atrium context-broker ORION-FLAGS…`: the broker alone, a drop-in for Orion's `contextBroker` with its
/// single-dash flags (doc/manuals/admin/cli.md).
struct ContextBrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context-broker",
        abstract: "Run the NGSIv2 context broker alone, with Orion's command-line flags."
    )

    @Option(name: .customLong("port", withSingleDash: true), help: "Port to receive requests on.")
    var port = 1026

    @Option(name: .customLong("localIp", withSingleDash: true), help: "IP address to listen on.")
    var localIP = "127.0.0.1"

    @Flag(name: .customLong("multiservice", withSingleDash: true), help: "Enable multi-tenancy (Fiware-Service).")
    var multiservice = false

    @Option(name: .customLong("inReqPayloadMaxSize", withSingleDash: true), help: "Maximum request payload, in bytes.")
    var payloadMaximum = 1_048_576

    @Option(name: .customLong("reqMutexPolicy", withSingleDash: true), help: "all, read, write or none.")
    var mutexPolicy = "all"

    @Option(name: .customLong("logLevel", withSingleDash: true), help: "NONE, FATAL, ERROR, WARN, INFO or DEBUG.")
    var logLevel = "WARN"

    @Option(name: .customLong("db", withSingleDash: true), help: "Database name (prefix of tenant databases).")
    var database = "orion"

    @Option(name: .customLong("dbURI", withSingleDash: true), help: "sqlite:///absolute/path/file.sqlite")
    var databaseURI: String?

    @Option(name: .customLong("dataFolder", withSingleDash: true), help: "Folder of the SQLite files.")
    var dataFolder = "atrium-data/context-broker"

    @Option(name: .customLong("reqPoolSize", withSingleDash: true), help: "Accepted for compatibility.")
    var requestPoolSize = 0

    @Option(name: .customLong("maxConnections", withSingleDash: true), help: "Accepted for compatibility.")
    var maximumConnections = 1020

    @Option(name: .customLong("reqTimeout", withSingleDash: true), help: "Accepted for compatibility.")
    var requestTimeout = 0

    @Flag(name: .customLong("disableMetrics", withSingleDash: true), help: "Turn off metrics gathering.")
    var disableMetrics = false

    @Flag(name: .customLong("statCounters", withSingleDash: true), help: "Counters in /statistics.")
    var statCounters = false

    @Flag(name: .customLong("statSemWait", withSingleDash: true), help: "Semaphore waits in /statistics.")
    var statSemWait = false

    @Flag(name: .customLong("statTiming", withSingleDash: true), help: "Timing in /statistics.")
    var statTiming = false

    @Flag(name: .customLong("fg", withSingleDash: true), help: "Accepted: Atrium always runs in the foreground.")
    var foreground = false

    func validate() throws {
        guard BrokerConfiguration.MutexPolicy(rawValue: mutexPolicy) != nil else {
            throw ValidationError("-reqMutexPolicy must be all, read, write or none")
        }
        guard ["NONE", "FATAL", "ERROR", "WARN", "INFO", "DEBUG"].contains(logLevel.uppercased()) else {
            throw ValidationError("-logLevel must be NONE, FATAL, ERROR, WARN, INFO or DEBUG")
        }
        guard database.count <= 10 else { throw ValidationError("-db: a database name is at most 10 characters") }
        guard (0...1024).contains(requestPoolSize) else { throw ValidationError("-reqPoolSize must be 0 to 1024") }
    }

    /// The configuration these flags describe.
    func brokerConfiguration() throws -> BrokerConfiguration {
        var configuration = BrokerConfiguration()
        configuration.port = port
        configuration.host = localIP
        configuration.multiservice = multiservice
        configuration.payloadMaximum = payloadMaximum
        configuration.mutexPolicy = BrokerConfiguration.MutexPolicy(rawValue: mutexPolicy) ?? .all
        configuration.logLevel = logLevel.uppercased()
        configuration.databaseName = database
        configuration.databaseFolder = dataFolder
        if let databaseURI, let problem = configuration.apply(databaseURI: databaseURI) {
            throw ValidationError(problem)
        }
        configuration.requestPoolSize = requestPoolSize
        configuration.maximumConnections = maximumConnections
        configuration.requestTimeout = requestTimeout
        configuration.disableMetrics = disableMetrics
        configuration.statCounters = statCounters
        configuration.statSemWait = statSemWait
        configuration.statTiming = statTiming
        return configuration
    }

    func run() async throws {
        LogLineHandler.bootstrapOnce()
        var logger = Logger(label: "atrium.broker")
        logger.logLevel = Self.level(logLevel)
        let broker = ContextBroker(configuration: try brokerConfiguration(), logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: ContextBrokerService(broker: broker))],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    static func level(_ orion: String) -> Logger.Level {
        switch orion.uppercased() {
        case "NONE", "FATAL": return .critical
        case "ERROR": return .error
        case "INFO": return .info
        case "DEBUG": return .debug
        default: return .warning
        }
    }
}
