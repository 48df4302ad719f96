import ArgumentParser
import ContextBroker
import Foundation
import HTTPSupport
import ImagingServer
import Logging
import ServiceLifecycle
import UnixSignals

/// `atrium [--config FILE]`: runs the enabled faces until SIGTERM or SIGINT.
///
/// The configuration file is Orthanc-style JSON: Orthanc's own keys configure the imaging server and a
/// `ContextBroker` section configures the broker. Each face parses its own part of the document.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the imaging server and the context broker (the default)."
    )

    @Option(name: .long, help: "An Orthanc-style JSON configuration file, with an optional ContextBroker section.")
    var config: String?

    func run() async throws {
        LogLineHandler.bootstrapOnce()
        let logger = Logger(label: "atrium")
        let document = try ConfigurationDocument.load(path: config)
        let services: [any Service] = try await makeServices(document: document, logger: logger)
        guard !services.isEmpty else {
            throw ValidationError("Nothing to run: every face is disabled in the configuration.")
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    /// The services of the enabled faces, in start order.
    private func makeServices(document: ConfigurationDocument, logger: Logger) async throws -> [any Service] {
        var services: [any Service] = []
        let imaging: ImagingConfiguration
        do {
            imaging = try document.imagingConfiguration(logger: logger)
        } catch let error as OrthancError {
            throw ValidationError("Bad imaging server configuration: \(error.details ?? error.code.name)")
        }
        do {
            services.append(try await ImagingService(configuration: imaging, logger: logger))
        } catch let error as OrthancError {
            throw ValidationError("Cannot start the imaging server: \(error.details ?? error.code.name)")
        }
        if let broker = try ContextBrokerSection(document: document).configuration() {
            let brokerLogger = Logger(label: "atrium.broker")
            // The notification side first, so that it stops after the HTTP listener.
            let runtime = ContextBrokerRuntime(configuration: broker, logger: brokerLogger)
            services.append(contentsOf: runtime.services)
            services.append(ContextBrokerService(broker: runtime.broker))
        }
        return services
    }
}

/// The parsed configuration file: a JSON object, empty when no file is given.
struct ConfigurationDocument: Sendable {
    /// The top-level keys and values, as JSONSerialization gives them.
    let root: [String: any Sendable]

    static func load(path: String?) throws -> ConfigurationDocument {
        guard let path else { return ConfigurationDocument(root: [:]) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("Cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ValidationError("The configuration file \(path) is not valid JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any] else {
            throw ValidationError("The configuration file \(path) must hold a JSON object.")
        }
        return ConfigurationDocument(root: root.mapValues { SendableJSON($0).value })
    }
}

/// Wraps a JSONSerialization value so that it can cross concurrency domains: such values are immutable
/// property-list types (dictionaries, arrays, strings, numbers, booleans, null).
private struct SendableJSON: @unchecked Sendable {
    let value: any Sendable
    init(_ raw: Any) {
        switch raw {
        case let dictionary as [String: Any]: value = dictionary.mapValues { SendableJSON($0).value }
        case let array as [Any]: value = array.map { SendableJSON($0).value }
        case let string as String: value = string
        case let number as NSNumber: value = number
        default: value = NSNull()
        }
    }
}
