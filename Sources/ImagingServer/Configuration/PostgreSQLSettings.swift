import JSON

/// The `PostgreSQL` section of the configuration, as Orthanc's PostgreSQL index plugin reads it: with
/// `EnableIndex`, the index lives in that server instead of the SQLite file, so that several Atrium nodes can
/// share it. The files stay in `StorageDirectory` (a shared folder when there are several nodes).
package struct PostgreSQLSettings: Sendable, Equatable {
    /// `EnableIndex` (false).
    package var enableIndex = false
    /// `ConnectionUri` (none): a `postgresql://` URL that replaces `Host` … `Password`.
    package var connectionURI: String?
    /// `Host` ("localhost").
    package var host = "localhost"
    /// `Port` (5432).
    package var port = 5432
    /// `Database` ("orthanc").
    package var database = "orthanc"
    /// `Username` ("postgres").
    package var username = "postgres"
    /// `Password` (none).
    package var password: String?
    /// `IndexConnectionsCount` (50, as the plugin since its version 7.0): the pool's connections.
    package var indexConnectionsCount = 50
    /// `MaximumConnectionRetries` (10): how many times a transaction that failed to serialize is replayed.
    package var maximumConnectionRetries = 10
    /// `TransactionMode` ("ReadCommitted", as the plugin since 7.0; or "Serializable").
    package var transactionMode = TransactionMode.readCommitted
    /// `Lock` (true): accepted; Atrium takes no exclusive lock, since its nodes may share the database.
    package var lock = true

    /// The isolation of the index's write transactions.
    package enum TransactionMode: String, Sendable {
        case readCommitted = "ReadCommitted"
        case serializable = "Serializable"
    }

    package init() {}

    /// Reads the section.
    /// - Throws: `OrthancError.badParameterType` naming the key when a value has the wrong type, and
    ///   `OrthancError.parameterOutOfRange` for a port, a count or a mode out of range, or for `EnableStorage`
    ///   (files in PostgreSQL large objects are not supported).
    init(json: JSONValue) throws {
        guard let members = json.objectValue else { throw OrthancError(.badParameterType, "PostgreSQL") }
        func value<T>(_ key: String, _ read: (JSONValue) -> T?) throws -> T? {
            guard let raw = members[key] else { return nil }
            guard let value = read(raw) else { throw OrthancError(.badParameterType, "PostgreSQL.\(key)") }
            return value
        }
        if let flag = try value("EnableIndex", \.boolValue) { enableIndex = flag }
        if try value("EnableStorage", \.boolValue) == true {
            throw OrthancError(
                .parameterOutOfRange, "PostgreSQL.EnableStorage: Atrium keeps the files in StorageDirectory")
        }
        connectionURI = try value("ConnectionUri", \.stringValue)
        if let text = try value("Host", \.stringValue) { host = text }
        if let number = try value("Port", \.intValue) {
            guard (1...65535).contains(number) else { throw OrthancError(.parameterOutOfRange, "PostgreSQL.Port") }
            port = Int(number)
        }
        if let text = try value("Database", \.stringValue) { database = text }
        if let text = try value("Username", \.stringValue) { username = text }
        password = try value("Password", \.stringValue)
        if let number = try value("IndexConnectionsCount", \.intValue) {
            guard (1...1000).contains(number) else {
                throw OrthancError(.parameterOutOfRange, "PostgreSQL.IndexConnectionsCount")
            }
            indexConnectionsCount = Int(number)
        }
        if let number = try value("MaximumConnectionRetries", \.intValue) {
            guard (0...1000).contains(number) else {
                throw OrthancError(.parameterOutOfRange, "PostgreSQL.MaximumConnectionRetries")
            }
            maximumConnectionRetries = Int(number)
        }
        if let text = try value("TransactionMode", \.stringValue) {
            guard let mode = TransactionMode(rawValue: text) else {
                throw OrthancError(.parameterOutOfRange, "PostgreSQL.TransactionMode")
            }
            transactionMode = mode
        }
        if let flag = try value("Lock", \.boolValue) { lock = flag }
    }
}
