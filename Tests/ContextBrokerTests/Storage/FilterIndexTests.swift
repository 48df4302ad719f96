import Foundation
import Persistence
import Testing

@testable import ContextBroker

@Suite struct FilterIndexTests {
    @Test func leadsWithTheTypeWhenTheQueryNamesOne() throws {
        let index = try #require(
            FilterIndex(
                selectors: [EntityQuery.Selector(idPattern: ".*", type: "Room")],
                paths: [#"$."t".v"#, #"$."h".v"#, #"$."t".v"#]))
        #expect(index.leadsWithType)
        #expect(
            index.columns == [
                "type", "pk", #"json_extract(attrs, '$."h".v')"#, #"json_type(attrs, '$."h".v')"#,
                #"json_extract(attrs, '$."t".v')"#, #"json_type(attrs, '$."t".v')"#,
            ])
        #expect(index.name.hasPrefix("entities_filter_"))
        #expect(
            index.name
                == FilterIndex(selectors: [EntityQuery.Selector(type: "Other")], paths: [#"$."t".v"#, #"$."h".v"#])?
                .name)
    }

    @Test func startsWithTheKeyWithoutType() throws {
        let index = try #require(FilterIndex(selectors: [], paths: [#"$."t".v"#]))
        #expect(!index.leadsWithType)
        #expect(index.columns == ["pk", #"json_extract(attrs, '$."t".v')"#, #"json_type(attrs, '$."t".v')"#])
    }

    @Test func declinesWhatItCannotServe() {
        #expect(FilterIndex(selectors: [], paths: []) == nil)
        #expect(FilterIndex(selectors: [], paths: ["$.a", "$.b", "$.c", "$.d"]) == nil)
        #expect(
            FilterIndex(selectors: [EntityQuery.Selector(type: "A"), EntityQuery.Selector(type: "B")], paths: ["$.a"])
                == nil)
        #expect(FilterIndex(selectors: [EntityQuery.Selector(typePattern: "^R")], paths: ["$.a"]) == nil)
    }

    @Test func compiledQueryKeepsTheTypeTermIndexable() throws {
        var query = EntityQuery()
        query.selectors = [EntityQuery.Selector(type: "Room")]
        query.q = try SimpleQuery("t>5;h<10")
        let compiled = query.compiled(now: 0)
        #expect(compiled.filterIndex?.paths == [#"$."h".v"#, #"$."t".v"#])
        #expect(compiled.whereClause.contains("(type = ?)"))
        // The filters are tested first, from the index entry; the expiry needs the table row, so it comes last.
        #expect(compiled.whereClause.hasPrefix(#"(json_extract(attrs, '$."t".v') > ?"#))
        #expect(compiled.whereClause.hasSuffix("(expires IS NULL OR expires > ?)"))
        #expect(compiled.arguments.last == .real(0))
        #expect(compiled.prefersFilterIndex)
        query.q = try SimpleQuery("t==5;h<10")
        #expect(query.compiled(now: 0).filterIndex != nil)
        #expect(!query.compiled(now: 0).prefersFilterIndex)
        query.orderBy = [EntityQuery.OrderKey(name: "t", descending: false)]
        #expect(query.compiled(now: 0).filterIndex == nil)
        #expect(query.compiled(now: 0).whereClause.contains("(+type = ?)"))
    }

    @Test func queriesCreateTheIndexAndAnswerAsBefore() async throws {
        let fixture = BrokerFixture()
        var batch: [String] = []
        for number in 0..<300 {
            batch.append(
                #"{"id":"R\#(number)","type":"Room","t":{"value":\#(number % 100)},"h":{"value":\#(number * 7 % 100)}}"#
            )
        }
        batch.append(#"{"id":"C1","type":"Car","t":{"value":99},"h":{"value":1}}"#)
        batch.append(#"{"id":"R-text","type":"Room","t":{"value":"99"},"h":{"value":1}}"#)
        let created = try await fixture.send(
            "POST", "/v2/op/update", #"{"actionType":"append","entities":[\#(batch.joined(separator: ","))]}"#)
        #expect(created.status == 204)
        let expected = (0..<300).filter { $0 % 100 > 90 && $0 * 7 % 100 < 50 }.map { "R\($0)" }
        let answer = try await fixture.send("GET", "/v2/entities?type=Room&q=t>90;h<50&attrs=none&limit=1000")
        let ids = try JSONSerialization.jsonObject(with: Data((answer.body ?? "").utf8)) as? [[String: Any]]
        #expect(ids?.compactMap { $0["id"] as? String } == expected)
        // The index is made in the background, after the query was answered by a scan.
        let database = try await fixture.broker.database(tenant: "")
        var names: [String] = []
        let deadline = ContinuousClock.now + .seconds(120)
        while names.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
            names = try await database.read { connection in
                try await connection.texts(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND name GLOB 'entities_filter_*'")
            }
        }
        #expect(names.count == 1)
        // An equality is left to the planner, which takes the value index; the answer is the same.
        let equal = try await fixture.send("GET", "/v2/entities?type=Room&q=t==95;h<50&attrs=none&limit=1000")
        let equalIDs = try JSONSerialization.jsonObject(with: Data((equal.body ?? "").utf8)) as? [[String: Any]]
        #expect(equalIDs?.compactMap { $0["id"] as? String } == expected.filter { Int($0.dropFirst())! % 100 == 95 })
    }

    @Test func stopsCreatingFilterIndexesAtTheCapAndStillAnswers() async throws {
        let fixture = BrokerFixture()
        let created = try await fixture.send(
            "POST", "/v2/entities", #"{"id":"R1","type":"Room","t":{"value":95},"h":{"value":1}}"#)
        #expect(created.status == 201)
        let database = try await fixture.broker.database(tenant: "")
        try await database.writeWithoutTransaction { connection in
            for number in 0..<FilterIndex.maximumCount {
                try await connection.execute(
                    "CREATE INDEX \(FilterIndex.namePrefix)placeholder\(number) ON entities (pk, created)")
            }
        }
        let answer = try await fixture.send("GET", "/v2/entities?type=Room&q=t>90;h<50&attrs=none")
        #expect(answer.status == 200)
        #expect(answer.body == #"[{"id":"R1","type":"Room"}]"#)
        let count = try await database.read { connection in
            try await connection.integer(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name GLOB 'entities_filter_*'")
        }
        #expect(count == Int64(FilterIndex.maximumCount))
    }
}
