import Logging
import Persistence
import Synchronization

/// Creates, off the request path, the indexes that queries of one tenant database name.
///
/// A query names the value indexes of its compared and ordered paths and its ``FilterIndex``; building one on
/// 100,000 entities takes seconds, so a query never waits for it: it asks for the missing ones (``request(_:)``)
/// and runs at once with the indexes that exist, which is a scan for a fresh attribute (correct, only slower).
/// The builder creates the requested indexes one by one on the database's writer (`CREATE INDEX` must be
/// serialized with writes; readers go on meanwhile), and later queries use them.
final class IndexBuilder: Sendable {
    /// One index a query wants.
    enum Wanted: Equatable, Sendable {
        /// The expression index of one JSON path (``EntityStore/createIndexes(_:paths:)``).
        case value(path: String)
        /// A filter index, not made beyond ``FilterIndex/maximumCount``.
        case filter(FilterIndex)

        var name: String {
            switch self {
            case .value(let path): BrokerSchema.indexName(for: path)
            case .filter(let index): index.name
            }
        }
    }

    /// Starts the work of draining the requests; a test can hold it back.
    typealias Scheduler = @Sendable (_ work: @escaping @Sendable () async -> Void) -> Void

    /// Runs `work` in a task of its own.
    static let detached: Scheduler = { work in
        // A bridge from the request to background work: the builder outlives the request that asked, and its
        // work is bounded by the indexes requested (each at most once per process).
        Task { await work() }
    }

    private struct State {
        /// Indexes known to exist.
        var existing: Set<String> = []
        /// Indexes requested once, made or given up on: never requested again.
        var requested: Set<String> = []
        var pending: [Wanted] = []
        var draining = false
    }

    private let database: any Database
    private let logger: Logger
    private let schedule: Scheduler
    private let state = Mutex(State())

    /// - Parameter existing: the names of the indexes the database already holds (from an earlier run), which
    ///   queries may use at once and which are not created again.
    init(
        database: any Database, existing: Set<String> = [], logger: Logger,
        schedule: @escaping Scheduler = IndexBuilder.detached
    ) {
        self.database = database
        self.logger = logger
        self.schedule = schedule
        state.withLock { state in
            state.existing = existing
            state.requested = existing
        }
    }

    /// Whether the index named `name` is known to exist, so that a query may force it (`INDEXED BY`).
    func exists(_ name: String) -> Bool {
        state.withLock { $0.existing.contains(name) }
    }

    /// Asks for the indexes of `wanted` not yet requested, without waiting for them.
    func request(_ wanted: [Wanted]) {
        let startsDraining = state.withLock { state -> Bool in
            for index in wanted where !state.requested.contains(index.name) {
                state.requested.insert(index.name)
                state.pending.append(index)
            }
            guard !state.pending.isEmpty, !state.draining else { return false }
            state.draining = true
            return true
        }
        if startsDraining { schedule { await self.drain() } }
    }

    /// Creates the pending indexes one by one until none is left.
    func drain() async {
        while let next = state.withLock({ state -> Wanted? in
            guard !state.pending.isEmpty else {
                state.draining = false
                return nil
            }
            return state.pending.removeFirst()
        }) {
            do {
                let made = try await database.writeWithoutTransaction { connection -> Bool in
                    switch next {
                    case .value(let path):
                        try await EntityStore.createIndexes(connection, paths: [path])
                        return true
                    case .filter(let index):
                        return try await EntityStore.createFilterIndex(connection, index)
                    }
                }
                if made { _ = state.withLock { $0.existing.insert(next.name) } }
            } catch {
                // The query that asked was answered by a scan; a later restart asks again.
                logger.error("index creation failed", metadata: ["index": "\(next.name)", "error": "\(error)"])
            }
        }
    }
}
