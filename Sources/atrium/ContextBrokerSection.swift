import ArgumentParser
import ContextBroker
import Foundation

/// The `ContextBroker` section of the configuration file: `Enabled` (default `true`), `Port` (1026),
/// `Database` (a URI as for `-dbURI`; default a SQLite file in the data folder), and `OrionFlags`, a list of
/// Orion command-line flags (`["-multiservice", "-inReqPayloadMaxSize", "2097152"]`) with the meanings they have
/// for `atrium context-broker`.
struct ContextBrokerSection {
    let values: [String: any Sendable]

    init(document: ConfigurationDocument) throws {
        if let section = document.root["ContextBroker"] {
            guard let values = section as? [String: any Sendable] else {
                throw ValidationError("ContextBroker must be a JSON object.")
            }
            self.values = values
        } else {
            self.values = [:]
        }
    }

    /// The broker's configuration, or `nil` when the section disables it.
    func configuration() throws -> BrokerConfiguration? {
        if let enabled = values["Enabled"] {
            guard let flag = enabled as? Bool else { throw ValidationError("ContextBroker.Enabled must be a boolean.") }
            if !flag { return nil }
        }
        var flags: [String] = []
        if let given = values["OrionFlags"] {
            guard let list = given as? [any Sendable], let strings = list as? [String] else {
                throw ValidationError("ContextBroker.OrionFlags must be a list of strings.")
            }
            flags = strings
        }
        // Atrium's storage is transactional, so requests need not be serialised (Orion's `-reqMutexPolicy none`),
        // unless the flags say otherwise.
        if !flags.contains("-reqMutexPolicy") { flags = ["-reqMutexPolicy", "none"] + flags }
        var configuration: BrokerConfiguration
        do {
            configuration = try OrionCommandLine(version: ContextBrokerLauncher.version)
                .configuration(flags, environment: [:])
        } catch {
            let text = (error.standardOutput + error.standardError).split(separator: "\n").first.map(String.init)
            throw ValidationError("ContextBroker.OrionFlags: \(text ?? "invalid flags")")
        }
        // The embedded broker stays on loopback unless the flags name an address, and leaves no pid file.
        if !flags.contains("-localIp") {
            configuration.host = "127.0.0.1"
            configuration.alternativeHost = nil
        }
        configuration.pidPath = nil
        if let port = values["Port"] {
            guard let number = port as? Int, (1...65535).contains(number) else {
                throw ValidationError("ContextBroker.Port must be a port number.")
            }
            configuration.port = number
        }
        if let database = values["Database"] {
            guard let uri = database as? String else {
                throw ValidationError("ContextBroker.Database must be a string.")
            }
            if let problem = configuration.apply(databaseURI: uri) { throw ValidationError(problem) }
        }
        if let multiservice = values["MultiService"] as? Bool { configuration.multiservice = multiservice }
        return configuration
    }
}
