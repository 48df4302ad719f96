/// The broker's settings: Orion's command-line flags (doc/manuals/admin/cli.md) with their defaults, plus where
/// the SQLite files live.
package struct BrokerConfiguration: Sendable {
    /// `-reqMutexPolicy`: which requests Orion serialises.
    package enum MutexPolicy: String, Sendable, CaseIterable {
        case all, read, write, none
    }

    /// The listening address (Orion's `-localIp`; loopback by default in Atrium's embedded server).
    package var host = "127.0.0.1"
    /// Tried when ``host`` cannot be bound: Orion listens on IPv6 and IPv4 by default, which is `::` where the
    /// machine has IPv6 and `0.0.0.0` where it has not.
    package var alternativeHost: String?
    /// `-https -key FILE -cert FILE`: PEM files of the server's private key and certificate chain.
    package var tls: (privateKeyPath: String, certificatePath: String)?
    /// `-corsOrigin`, `-corsMaxAge`.
    package var cors: CORSPolicy?
    /// `-harakiri`: `GET /exit/harakiri` stops the broker (Orion's test harness uses it).
    package var harakiri = false
    /// `-pidpath` [`/tmp/contextBroker.pid`] for `atrium context-broker`; none for the embedded broker.
    package var pidPath: String?
    /// `-logDir`, `-logAppend`, `-disableFileLog`, `-fg`, `-logForHumans`, `-logLineMaxSize`, `-t`, ….
    package var logging = BrokerLogConfiguration()
    /// `-notificationMode`, `-notifFlowControl`, `-httpTimeout` and the other notification options.
    package var notifications = NotificationSettings()
    /// `-connectionMemory` [64 kB]: accepted; Hummingbird sizes its own buffers.
    package var connectionMemory = 64
    /// `-dbpwd`: the MongoDB password, kept only so that it never appears in a log line.
    package var mongoDBPassword: String?
    /// One line per MongoDB option given (`-dbURI mongodb://…`, `-dbpwd`, `-dbPoolSize`, `-writeConcern`): they
    /// are ignored, and each is warned about once at startup.
    package var ignoredOptionWarnings: [String] = []
    /// The lines Orion prints on standard output while parsing (`log directory: '…'` for `-logDir`).
    package var parseNotices: [String] = []
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
    /// `-reqPoolSize`: accepted; Atrium's server is event-driven. `-maxConnections` [1020]: connections beyond it
    /// are closed when accepted. `-reqTimeout` [0: none] closes a connection idle for that many seconds.
    /// `-reqMutexPolicy` takes any value, as Orion's, and a value it does not know means `all`.
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
            guard path.hasPrefix("/") else {
                return "-dbURI: sqlite URIs take an absolute path (sqlite:///path/file.sqlite)"
            }
            databaseFile = path
            return nil
        }
        if databaseURI.hasPrefix("mongodb://") || databaseURI.hasPrefix("mongodb+srv://") {
            return nil
        }
        return "-dbURI: only sqlite:///path/file.sqlite is supported in this version"
    }
}
