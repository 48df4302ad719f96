/// The broker's settings: Orion's command-line flags (doc/manuals/admin/cli.md) with their defaults, plus where
/// the SQLite files live.
package struct BrokerConfiguration: Sendable {
    /// `-reqMutexPolicy`: which requests Orion serialises.
    package enum MutexPolicy: String, Sendable, CaseIterable {
        case all, read, write, none
    }

    /// The listening address (Orion's `-localIp`; loopback by default in Atrium).
    package var host = "127.0.0.1"
    /// `-port`.
    package var port = 1026
    /// `-multiservice`: `Fiware-Service` selects a separate database.
    package var multiservice = false
    /// `-inReqPayloadMaxSize` in bytes.
    package var payloadMaximum = 1_048_576
    /// `-reqMutexPolicy`.
    package var mutexPolicy = MutexPolicy.all
    /// `-db`: the database name, and the prefix of tenant databases (`<db>-<tenant>`).
    package var databaseName = "orion"
    /// The folder that holds the SQLite files (`./atrium-data/context-broker` by default).
    package var databaseFolder = "atrium-data/context-broker"
    /// `-dbURI sqlite:///path/file.sqlite`: the default tenant's file; tenants get siblings.
    package var databaseFile: String?
    /// `-logLevel`.
    package var logLevel = "WARN"
    /// `-reqPoolSize`, `-maxConnections`, `-reqTimeout`: accepted; Atrium's server is event-driven.
    package var requestPoolSize = 0
    package var maximumConnections = 1020
    package var requestTimeout = 0
    /// `-disableMetrics`.
    package var disableMetrics = false
    /// `-statCounters`, `-statSemWait`, `-statTiming`: the optional blocks of `/statistics`.
    package var statCounters = false
    package var statSemWait = false
    package var statTiming = false

    package init() {}

    /// The SQLite file of a tenant (`""` is the default tenant).
    package func databasePath(tenant: String) -> String {
        if let databaseFile {
            guard !tenant.isEmpty else { return databaseFile }
            var stem = databaseFile
            if stem.hasSuffix(".sqlite") { stem.removeLast(7) }
            return "\(stem)-\(tenant).sqlite"
        }
        let name = tenant.isEmpty ? databaseName : "\(databaseName)-\(tenant)"
        return "\(databaseFolder)/\(name).sqlite"
    }

    /// Reads a `-dbURI`: `sqlite:///absolute/path/file.sqlite` is supported; PostgreSQL comes later.
    /// - Returns: an error message for an unsupported URI, or `nil`.
    package mutating func apply(databaseURI: String) -> String? {
        if databaseURI.hasPrefix("sqlite://") {
            let path = String(databaseURI.dropFirst("sqlite://".count))
            guard path.hasPrefix("/") else { return "-dbURI: sqlite URIs take an absolute path (sqlite:///path/file.sqlite)" }
            databaseFile = path
            return nil
        }
        if databaseURI.hasPrefix("mongodb://") {
            return nil
        }
        return "-dbURI: only sqlite:///path/file.sqlite is supported in this version"
    }
}
