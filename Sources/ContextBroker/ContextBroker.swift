import Foundation
package import Logging
package import Notifications
import Persistence
import Synchronization

/// The Orion-compatible NGSIv2 context broker face: its tenants' databases, its change sink and its counters.
package final class ContextBroker: Sendable {
    /// The configuration it was started with.
    package let configuration: BrokerConfiguration
    /// Receives the change events of every committed write.
    package let sink: any ChangeSink
    /// Every open tenant's subscriptions, indexed for matching change events.
    package let subscriptions = SubscriptionCache()
    let logger: Logger
    let startTime = Date()
    let statistics = Mutex(BrokerStatistics())
    let logSettings: Mutex<LogSettings>
    let gate: RequestGate
    /// Yields when `GET /exit/harakiri` asks the broker to stop (only with `-harakiri`).
    package let exitRequests: AsyncStream<Void>
    private let exitContinuation: AsyncStream<Void>.Continuation
    /// The tenants' databases, each opened once by the first request that needs it; later requests await the
    /// same opening.
    private let databases = Mutex<[String: Task<any Database, any Error>]>([:])
    private let indexBuilders = Mutex<[String: IndexBuilder]>([:])
    private let indexScheduler: IndexBuilder.Scheduler

    /// The log sink whose level and line size `PUT /admin/log` changes, when the broker logs as Orion.
    let logSink: OrionLogSink?
    /// The notification dispatcher, for the `notifQueue` block of `/statistics`.
    let dispatcher: NotificationDispatcher?

    /// - Parameter dispatcher: the notification dispatcher whose queues `/statistics` reports.
    package convenience init(
        configuration: BrokerConfiguration, sink: any ChangeSink = DiscardingChangeSink(), logger: Logger,
        logSink: OrionLogSink? = nil, dispatcher: NotificationDispatcher? = nil
    ) {
        self.init(
            configuration: configuration, sink: sink, logger: logger, logSink: logSink,
            indexScheduler: IndexBuilder.detached, dispatcher: dispatcher)
    }

    /// - Parameter indexScheduler: how the index builders start their background work (tests hold it back).
    init(
        configuration: BrokerConfiguration, sink: any ChangeSink, logger: Logger, logSink: OrionLogSink?,
        indexScheduler: @escaping IndexBuilder.Scheduler, dispatcher: NotificationDispatcher? = nil
    ) {
        self.dispatcher = dispatcher
        self.indexScheduler = indexScheduler
        self.configuration = configuration
        self.logSink = logSink
        self.sink = sink
        self.logger = logger
        self.logSettings = Mutex(
            LogSettings(
                level: configuration.logLevel.uppercased(),
                infoPayloadMaxSize: configuration.logging.infoPayloadMaxSize,
                lineMaxSize: configuration.logging.lineMaxSize, deprecate: configuration.logging.deprecate))
        (exitRequests, exitContinuation) = AsyncStream.makeStream(of: Void.self)
        self.gate = RequestGate(policy: configuration.mutexPolicy)
    }

    /// The database of `tenant` (`""` for the default tenant), opened and migrated on first use.
    /// - Throws: the storage error when the file cannot be opened or migrated (the HTTP edge answers 500); the
    ///   next request tries again.
    func database(tenant: String) async throws -> any Database {
        let opening = databases.withLock { databases in
            if let opening = databases[tenant] { return opening }
            let opening = Task { try await self.open(tenant: tenant) }
            databases[tenant] = opening
            return opening
        }
        do {
            return try await opening.value
        } catch {
            databases.withLock { databases in
                if databases[tenant] == opening { databases[tenant] = nil }
            }
            throw error
        }
    }

    /// Opens and migrates the database of `tenant` and caches its subscriptions.
    private func open(tenant: String) async throws -> any Database {
        let path = configuration.databasePath(tenant: tenant)
        do {
            let database = try SQLiteDatabase(
                path: path, migrations: BrokerSchema.migrations, functions: BrokerSchema.functions)
            // The tenant's subscriptions are cached before any write of the tenant can emit a change event.
            try await reloadSubscriptions(tenant: tenant, from: database)
            return database
        } catch {
            logger.error("cannot open the database", metadata: ["path": "\(path)", "error": "\(error)"])
            throw error
        }
    }

    /// The databases opened so far.
    func openDatabases() async -> [any Database] {
        var open: [any Database] = []
        for opening in databases.withLock({ Array($0.values) }) {
            if let database = try? await opening.value { open.append(database) }
        }
        return open
    }

    /// Replaces the cached subscriptions of `tenant` with those stored in its database.
    /// - Throws: the storage error when they cannot be read.
    func reloadSubscriptions(tenant: String, from database: any Database) async throws {
        let stored = try await database.read { connection in try await SubscriptionStore.all(connection, tenant: tenant)
        }
        subscriptions.load(tenant: tenant, stored)
    }

    /// The write path of the request's tenant, emitting to the broker's sink events that carry the request's
    /// origin.
    /// - Throws: the storage error when the database cannot be opened.
    func writer(for request: NGSIRequest) async throws -> EntityWriter {
        EntityWriter(
            database: try await database(tenant: request.tenant), tenant: request.tenant, sink: sink,
            origin: request.origin, journals: configuration.notifications.outbox)
    }

    /// Deletes the transient entities whose `dateExpires` has passed, in every open tenant database, and returns
    /// how many went. Reads already hide them; this reclaims their rows, as Orion's TTL monitor does about once a
    /// minute (orion-api.md, "Transient entities").
    @discardableResult
    package func purgeExpiredEntities() async throws -> Int {
        let now = DateTimeFormat.now()
        var removed = 0
        for database in await openDatabases() {
            removed += try await database.write { connection in
                try await connection.execute(
                    "DELETE FROM entities WHERE expires IS NOT NULL AND expires <= ?", [.real(now)])
            }
        }
        return removed
    }

    /// Asks the process to stop cleanly (Orion's `/exit/harakiri`).
    func requestExit() { exitContinuation.yield() }

    /// Whether requests are measured for `/statistics` (`-statSemWait` or `-statTiming`).
    var measuresRequests: Bool { configuration.statSemWait || configuration.statTiming }

    /// Adds one request's measurements to the `semWait` and `timing` blocks.
    func record(_ timer: RequestTimer, total: Duration) {
        let measured = timer.snapshot
        let timing = RequestTiming(
            jsonV2Parse: RequestTimer.value(.jsonV2Parse, in: measured),
            render: RequestTimer.value(.render, in: measured), total: total)
        statistics.withLock { statistics in
            statistics.requestWait += RequestTimer.value(.requestWait, in: measured)
            statistics.connectionWait += RequestTimer.value(.connectionWait, in: measured)
            statistics.transactionWait += RequestTimer.value(.transactionWait, in: measured)
            statistics.accumulatedTiming += timing
            statistics.lastTiming = timing
        }
    }

    /// The index builder of `tenant`'s database.
    func indexBuilder(tenant: String, database: any Database) async -> IndexBuilder {
        if let builder = indexBuilders.withLock({ $0[tenant] }) { return builder }
        // A short read of the schema, once per tenant and process (twice at most when two requests race);
        // without it the builder asks again.
        let existing =
            (try? await database.read { connection in
                try await connection.texts("SELECT name FROM sqlite_master WHERE type = 'index'")
            }) ?? []
        return indexBuilders.withLock { builders in
            if let builder = builders[tenant] { return builder }
            let builder = IndexBuilder(
                database: database, existing: Set(existing), logger: logger, schedule: indexScheduler)
            builders[tenant] = builder
            return builder
        }
    }

    /// Asks the tenant's index builder for the indexes a compiled query wants, without waiting for them: the
    /// value index of each compared or ordered path, and the query's filter index.
    /// - Returns: whether the query's filter index is known to exist, so that the query may force it.
    func requestIndexes(_ compiled: CompiledQuery, tenant: String, database: any Database) async -> Bool {
        let builder = await indexBuilder(tenant: tenant, database: database)
        builder.request(
            compiled.indexedPaths.map { .value(path: $0) } + (compiled.filterIndex.map { [.filter($0)] } ?? []))
        guard let filterIndex = compiled.filterIndex else { return false }
        return builder.exists(filterIndex.name)
    }
}

/// The settings `/admin/log` reads and changes.
struct LogSettings: Sendable {
    var level: String
    var infoPayloadMaxSize = 5120
    var lineMaxSize = 32768
    var deprecate = false
}

/// The counters of `/statistics`.
struct BrokerStatistics: Sendable {
    var jsonRequests = 0
    var textRequests = 0
    var noPayloadRequests = 0
    var invalidRequests = 0
    var missedVerb = 0
    /// Notifications handed to the dispatcher.
    var notificationsSent = 0
    var requests: [String: [String: Int]] = [:]
    var measuringSince = Date()
    /// The `semWait` block: accumulated waits for the request gate, a reading connection and the writer.
    var requestWait = Duration.zero
    var connectionWait = Duration.zero
    var transactionWait = Duration.zero
    /// The `timing` block: accumulated and last request's `jsonV2Parse`, `render` and `total`.
    var accumulatedTiming = RequestTiming()
    var lastTiming = RequestTiming()
}
