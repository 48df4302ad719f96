import ContextBroker
import Foundation
import Logging
import NIOSSL
import ServiceLifecycle
import UnixSignals

/// Runs the broker as Orion's `contextBroker` would run: Orion's command line and environment, its pid file, its
/// log file, its messages and exit statuses.
enum ContextBrokerLauncher {
    /// Atrium's version, printed by `--version`.
    static let version = "0.1.0"

    /// The broker's arguments when `argv` asks for the broker: `atrium context-broker FLAGS…`, or any invocation
    /// through a file named `contextBroker` (a symlink put in place of Orion's binary).
    static func brokerArguments(_ argv: [String]) -> [String]? {
        let invoked = argv.first.flatMap { $0.split(separator: "/").last.map(String.init) } ?? ""
        if invoked == "contextBroker" { return Array(argv.dropFirst()) }
        if argv.count >= 2 && argv[1] == "context-broker" { return Array(argv.dropFirst(2)) }
        return nil
    }

    /// Parses, starts the broker, and returns the process's exit status once it has stopped.
    static func run(arguments: [String], environment: [String: String]) async -> Int32 {
        let commandLine = OrionCommandLine(version: version)
        let values: OrionCommandLine.Values
        let configuration: BrokerConfiguration
        var tls: TLSConfiguration?
        do {
            values = try commandLine.parseValues(arguments, environment: environment)
            configuration = try commandLine.configuration(values)
            if let files = configuration.tls {
                tls = try ContextBrokerService.serverTLS(
                    privateKeyPath: files.privateKeyPath, certificatePath: files.certificatePath)
            }
        } catch {
            return report(error)
        }
        let daemonChild = BrokerDaemon.isChild(environment)
        if !daemonChild {
            for notice in configuration.parseNotices { standardOutput(notice + "\n") }
        }

        if let pidPath = configuration.pidPath, !configuration.harakiri, FileManager.default.fileExists(atPath: pidPath)
        {
            return report(
                OrionCommandLineFailure.fatal("PID-file '\(pidPath)' found. A broker seems to be running already"))
        }
        // Without -fg, Orion returns at once and runs on in the background.
        if !configuration.logging.foreground {
            if daemonChild {
                BrokerDaemon.detachFromSession()
            } else {
                guard let failure = BrokerDaemon.startCopy(arguments: CommandLine.arguments) else { return 0 }
                return report(OrionCommandLineFailure.fatal(failure))
            }
        }
        let sink: OrionLogSink
        do {
            sink = try OrionLogSink(configuration: configuration.logging, level: configuration.logLevel)
        } catch {
            return report(error)
        }
        LoggingSystem.bootstrap { _ in OrionLogHandler(sink: sink, traceLevels: configuration.logging.traceLevels) }
        let logger = Logger(label: "atrium.broker")
        logStartup(logger, arguments: arguments, values: values, configuration: configuration)

        if let pidPath = configuration.pidPath {
            do {
                try "\(getpid())".write(toFile: pidPath, atomically: false, encoding: .utf8)
            } catch {
                logger.critical("PID File (open '\(pidPath)': \(error))")
                return report(OrionCommandLineFailure.fatal("PID File (open '\(pidPath)': \(error))"))
            }
        }
        defer {
            if let pidPath = configuration.pidPath { try? FileManager.default.removeItem(atPath: pidPath) }
        }

        // The notification side starts first, so that it stops last: the HTTP listener stops, then the queued
        // changes are notified, then the dispatcher drains.
        let runtime = ContextBrokerRuntime(configuration: configuration, logger: logger, logSink: sink)
        let broker = runtime.broker
        var services = runtime.services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        services.append(.init(service: ContextBrokerService(broker: broker, tls: tls)))
        if configuration.harakiri {
            services.append(
                .init(service: BrokerExitService(broker: broker), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.critical("Fatal Error (\(error))")
            return report(OrionCommandLineFailure.fatal("Fatal Error (\(error))"))
        }
        logger.info("Atrium context broker exits in an ordered manner")
        return 0
    }

    /// The startup lines Orion writes: the command line (password hidden), the variables used, then a warning for
    /// each ignored MongoDB option, also on standard error.
    static func logStartup(
        _ logger: Logger, arguments: [String], values: OrionCommandLine.Values, configuration: BrokerConfiguration
    ) {
        var shown = ["contextBroker"] + arguments
        if let password = configuration.mongoDBPassword, !password.isEmpty {
            shown = shown.map { $0 == password ? "******" : $0 }
        }
        logger.info("start command line <\(shown.joined(separator: " "))>")
        for option in OrionOption.all where values.origin(option.name) == .environment {
            guard let variable = option.environmentVariable else { continue }
            let value: String
            switch values.value(option.name) {
            case .flag(let on): value = on ? "1" : "0"
            case .integer(let number): value = "\(number)"
            case .string(let text): value = option.name == "-dbpwd" ? "******" : text
            case nil: value = ""
            }
            logger.info("env var \(variable) (\(option.name)): \(value)")
        }
        for warning in configuration.ignoredOptionWarnings {
            logger.warning("\(warning)")
            standardError(warning + "\n")
        }
        if let policy = values.string("-reqMutexPolicy"), BrokerConfiguration.MutexPolicy(rawValue: policy) == nil {
            logger.warning("-reqMutexPolicy '\(policy)' is not none, read, write or all: all is used, as in Orion")
        }
        if configuration.notifications.insecure {
            logger.warning("contextBroker started in insecure notifications mode (-insecureNotif)")
        }
        logger.info("Atrium context broker is running")
    }

    /// Prints a failure where Orion prints it and returns its exit status.
    static func report(_ error: any Error) -> Int32 {
        guard let failure = error as? OrionCommandLineFailure else {
            standardError("\(error)\n")
            return 1
        }
        standardOutput(failure.standardOutput)
        standardError(failure.standardError)
        return failure.status
    }

    static func standardOutput(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func standardError(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
