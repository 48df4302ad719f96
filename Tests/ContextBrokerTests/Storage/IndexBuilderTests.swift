import Foundation
import Logging
import Persistence
import Synchronization
import Testing

@testable import ContextBroker

/// Holds back the index builder's work until the test runs it.
final class HeldWork: Sendable {
    private let work = Mutex<[@Sendable () async -> Void]>([])

    var scheduler: IndexBuilder.Scheduler {
        { [self] job in work.withLock { $0.append(job) } }
    }

    var count: Int { work.withLock { $0.count } }

    func runAll() async {
        let jobs = work.withLock { jobs in
            defer { jobs = [] }
            return jobs
        }
        for job in jobs { await job() }
    }
}

@Suite struct IndexBuilderTests {
    static func query(_ broker: ContextBroker, _ q: String) async throws -> NGSIResponse {
        let request = NGSIRequest(
            method: "GET", segments: [], parameters: ["q": q, "type": "Room", "options": "keyValues"], body: [],
            contentType: nil, accept: nil, servicePath: nil, tenant: "", correlator: "c")
        return try await broker.dispatch(.entities, request)
    }

    static func indexNames(_ broker: ContextBroker) async throws -> Set<String> {
        var names: Set<String> = []
        try await broker.database(tenant: "").read { connection in
            try await connection.forEachRow("SELECT name FROM sqlite_master WHERE type = 'index'", []) { row in
                if let name = row.text(at: 0) { names.insert(name) }
            }
        }
        return names
    }

    @Test func aQueryOnAFreshAttributeAnswersBeforeItsIndexExists() async throws {
        var configuration = BrokerConfiguration()
        configuration.databaseFolder = NSTemporaryDirectory() + "index-builder-" + UUID().uuidString
        let held = HeldWork()
        let broker = ContextBroker(
            configuration: configuration, sink: DiscardingChangeSink(), logger: Logger(label: "test"), logSink: nil,
            indexScheduler: held.scheduler)
        let writer = await EntityWriter(database: try broker.database(tenant: ""), tenant: "", sink: broker.sink)
        for (id, temperature) in [("R1", 20), ("R2", 25), ("R3", 30)] {
            try await writer.create(
                try PayloadDecoder.entity(
                    try JSONParser.parse(#"{"id":"\#(id)","type":"Room","temperature":\#(temperature)}"#),
                    keyValues: true),
                servicePath: "/", upsert: false, options: .init(), forced: false)
        }
        let compiled = try EntityQuery.compiledForTest(q: "temperature>21")
        let valueIndex = BrokerSchema.indexName(for: try #require(compiled.indexedPaths.first))
        let filterIndex = try #require(compiled.filterIndex?.name)

        let expected = #"[{"id":"R2","type":"Room","temperature":25},{"id":"R3","type":"Room","temperature":30}]"#
        let first = try await Self.query(broker, "temperature>21")
        #expect(first.body == expected)
        // Answered by a scan: the creation is only scheduled.
        #expect(held.count == 1)
        await #expect(try Self.indexNames(broker).isDisjoint(with: [valueIndex, filterIndex]))

        await held.runAll()
        await #expect(try Self.indexNames(broker).isSuperset(of: [valueIndex, filterIndex]))
        await #expect(broker.indexBuilder(tenant: "", database: try broker.database(tenant: "")).exists(filterIndex))
        let second = try await Self.query(broker, "temperature>21")
        #expect(second.body == expected)
        // Each index is asked for once.
        #expect(held.count == 0)
    }

    @Test func theDefaultSchedulerCreatesTheIndexInTheBackground() async throws {
        var configuration = BrokerConfiguration()
        configuration.databaseFolder = NSTemporaryDirectory() + "index-builder-" + UUID().uuidString
        let broker = ContextBroker(configuration: configuration, logger: Logger(label: "test"))
        let response = try await Self.query(broker, "humidity<3")
        #expect(response.body == "[]")
        let compiled = try EntityQuery.compiledForTest(q: "humidity<3")
        let filterIndex = try #require(compiled.filterIndex?.name)
        let builder = await broker.indexBuilder(tenant: "", database: try broker.database(tenant: ""))
        // Generous: the whole test suite runs in parallel on two cores, and the creation waits its turn.
        let deadline = ContinuousClock.now + .seconds(120)
        while try await !Self.indexNames(broker).contains(filterIndex), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        await #expect(try Self.indexNames(broker).contains(filterIndex))
        // The builder learns of it once the creation has returned.
        while !builder.exists(filterIndex), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(builder.exists(filterIndex))
    }
}

extension EntityQuery {
    /// The compiled form of a `type=Room&q=…` query, as the route builds it.
    static func compiledForTest(q: String) throws -> CompiledQuery {
        var query = EntityQuery()
        query.selectors = [EntityQuery.Selector(type: "Room")]
        query.q = try SimpleQuery(q)
        return query.compiled(now: 0)
    }
}

@Suite struct IndexBuilderExistingTests {
    @Test func indexesOfAnEarlierRunAreUsedAtOnceAndNotAskedFor() async throws {
        var configuration = BrokerConfiguration()
        configuration.databaseFolder = NSTemporaryDirectory() + "index-builder-" + UUID().uuidString
        let earlier = HeldWork()
        let first = ContextBroker(
            configuration: configuration, sink: DiscardingChangeSink(), logger: Logger(label: "test"), logSink: nil,
            indexScheduler: earlier.scheduler)
        _ = try await IndexBuilderTests.query(first, "temperature>21")
        await earlier.runAll()
        let later = HeldWork()
        let second = ContextBroker(
            configuration: configuration, sink: DiscardingChangeSink(), logger: Logger(label: "test"), logSink: nil,
            indexScheduler: later.scheduler)
        let response = try await IndexBuilderTests.query(second, "temperature>21")
        #expect(response.body == "[]")
        #expect(later.count == 0)
        let filterIndex = try #require(try EntityQuery.compiledForTest(q: "temperature>21").filterIndex?.name)
        await #expect(second.indexBuilder(tenant: "", database: try second.database(tenant: "")).exists(filterIndex))
    }
}
