import Foundation
import Testing

@testable import ContextBroker

/// The subscription cache's index and each condition of matching.
@Suite struct SubscriptionCacheTests {
    static func subscription(
        _ id: String, _ payload: String, tenant: String = "", servicePath: String = "/#"
    ) throws -> Subscription {
        try #require(
            try SubscriptionPayload(JSONParser.parse(payload), update: false)
                .subscription(id: id, tenant: tenant, servicePath: servicePath))
    }

    static func payload(
        entities: String = #"[{"id":"Room1","type":"Room"}]"#, condition: String? = nil, notification: String = ""
    )
        -> String
    {
        let conditionMember = condition.map { #","condition":\#($0)"# } ?? ""
        return
            #"{"subject":{"entities":\#(entities)\#(conditionMember)},"notification":{"http":{"url":"http://a"}\#(notification)}}"#
    }

    static func entity(
        _ attributes: [Attribute], id: String = "Room1", type: String = "Room", servicePath: String = "/"
    ) -> Entity {
        Entity(id: id, type: type, servicePath: servicePath, created: 100, modified: 200, attributes: attributes)
    }

    static func temperature(_ value: Double, metadata: [Metadata] = []) -> Attribute {
        Attribute(name: "temperature", type: "Number", value: .number(value), metadata: metadata)
    }

    static let pressure = Attribute(name: "pressure", type: "Number", value: .number(720))

    /// An update of Room1's temperature from `before` to `after`.
    static func update(
        from before: Attribute, to after: Attribute, others: [Attribute] = [pressure], tenant: String = "",
        servicePath: String = "/"
    ) -> ChangeEvent {
        let previous = entity([before] + others, servicePath: servicePath)
        let current = entity([after] + others, servicePath: servicePath)
        return ChangeEvent(
            kind: ChangeEvent.kind(previous: previous, current: current, forced: false), tenant: tenant,
            previous: previous, current: current, changedAttributes: [after.name])
    }

    static func matchedIDs(_ cache: SubscriptionCache, _ event: ChangeEvent, now: Double = 1000) -> [String] {
        cache.matches(event, now: now).map(\.subscription.id)
    }

    @Test func entitySelectorsByIdTypeAndPattern() throws {
        let cache = SubscriptionCache()
        cache.upsert(try Self.subscription("a", Self.payload()))
        cache.upsert(try Self.subscription("b", Self.payload(entities: #"[{"idPattern":"Room.*","type":"Room"}]"#)))
        cache.upsert(try Self.subscription("c", Self.payload(entities: #"[{"idPattern":".*","typePattern":"R.*"}]"#)))
        cache.upsert(try Self.subscription("d", Self.payload(entities: #"[{"id":"Room2"}]"#)))
        cache.upsert(try Self.subscription("e", Self.payload(entities: #"[{"id":"Room1","type":"Office"}]"#)))
        cache.upsert(try Self.subscription("f", Self.payload(entities: #"[{"idPattern":"^Hall"}]"#)))
        let event = Self.update(from: Self.temperature(20), to: Self.temperature(21))
        #expect(Self.matchedIDs(cache, event) == ["a", "b", "c"])
        #expect(Set(cache.candidates(for: event).map(\.id)) == ["a", "b", "c", "e", "f"])
    }

    @Test func alterationTypesDefaultToCreateAndChange() throws {
        let cache = SubscriptionCache()
        cache.upsert(try Self.subscription("default", Self.payload()))
        cache.upsert(try Self.subscription("update", Self.payload(condition: #"{"alterationTypes":["entityUpdate"]}"#)))
        cache.upsert(try Self.subscription("delete", Self.payload(condition: #"{"alterationTypes":["entityDelete"]}"#)))
        cache.upsert(try Self.subscription("create", Self.payload(condition: #"{"alterationTypes":["entityCreate"]}"#)))
        let room = Self.entity([Self.temperature(20)])
        let created = ChangeEvent(
            kind: .entityCreate, tenant: "", previous: nil, current: room, changedAttributes: ["temperature"])
        #expect(Self.matchedIDs(cache, created) == ["create", "default"])
        let changed = Self.update(from: Self.temperature(20), to: Self.temperature(21))
        #expect(Self.matchedIDs(cache, changed) == ["default", "update"])
        let unchanged = Self.update(from: Self.temperature(20), to: Self.temperature(20))
        #expect(unchanged.kind == .entityUpdate)
        #expect(Self.matchedIDs(cache, unchanged) == ["update"])
        let deleted = ChangeEvent(
            kind: .entityDelete, tenant: "", previous: room, current: nil, changedAttributes: ["temperature"])
        #expect(Self.matchedIDs(cache, deleted) == ["delete"])
    }

    @Test func conditionAttributesMustBeAmongTheChanged() throws {
        let cache = SubscriptionCache()
        cache.upsert(try Self.subscription("temperature", Self.payload(condition: #"{"attrs":["temperature"]}"#)))
        cache.upsert(try Self.subscription("pressure", Self.payload(condition: #"{"attrs":["pressure"]}"#)))
        let event = Self.update(from: Self.temperature(20), to: Self.temperature(21))
        #expect(Self.matchedIDs(cache, event) == ["temperature"])
    }

    @Test func metadataChangesCountUnlessTurnedOff() throws {
        let cache = SubscriptionCache()
        cache.upsert(try Self.subscription("counts", Self.payload()))
        cache.upsert(try Self.subscription("ignores", Self.payload(condition: #"{"notifyOnMetadataChange":false}"#)))
        let accuracy = { (value: Double) in Metadata(name: "accuracy", type: "Number", value: .number(value)) }
        let event = Self.update(
            from: Self.temperature(20, metadata: [accuracy(1)]), to: Self.temperature(20, metadata: [accuracy(2)]))
        #expect(event.kind == .entityChange)
        #expect(Self.matchedIDs(cache, event) == ["counts"])
        let valueChange = Self.update(
            from: Self.temperature(20, metadata: [accuracy(1)]), to: Self.temperature(22, metadata: [accuracy(2)]))
        #expect(Self.matchedIDs(cache, valueChange) == ["counts", "ignores"])
    }

    @Test func qAndMqAreEvaluatedOnTheNewEntity() throws {
        let cache = SubscriptionCache()
        cache.upsert(try Self.subscription("hot", Self.payload(condition: #"{"expression":{"q":"temperature>30"}}"#)))
        cache.upsert(
            try Self.subscription(
                "range", Self.payload(condition: #"{"expression":{"q":"temperature==20..25;pressure"}}"#)))
        cache.upsert(
            try Self.subscription(
                "accurate", Self.payload(condition: #"{"expression":{"mq":"temperature.accuracy<2"}}"#)))
        let accuracy = Metadata(name: "accuracy", type: "Number", value: .number(1))
        let event = Self.update(from: Self.temperature(35), to: Self.temperature(22, metadata: [accuracy]))
        #expect(Self.matchedIDs(cache, event) == ["accurate", "range"])
        let hot = Self.update(from: Self.temperature(22), to: Self.temperature(31))
        #expect(Self.matchedIDs(cache, hot) == ["hot"])
    }

    @Test func geoQueriesAreEvaluatedInMemory() throws {
        let cache = SubscriptionCache()
        cache.upsert(
            try Self.subscription(
                "near",
                Self.payload(
                    condition:
                        #"{"expression":{"georel":"near;maxDistance:1000","geometry":"point","coords":"40.418,-3.704"}}"#
                )))
        cache.upsert(
            try Self.subscription(
                "inside",
                Self.payload(
                    condition: #"{"expression":{"georel":"coveredBy","geometry":"box","coords":"0,0;1,1"}}"#)))
        let madrid = Attribute(name: "location", type: "geo:point", value: .string("40.4181,-3.7041"))
        let event = Self.update(from: Self.temperature(20), to: Self.temperature(21), others: [madrid])
        #expect(Self.matchedIDs(cache, event) == ["near"])
        let nowhere = Self.update(from: Self.temperature(20), to: Self.temperature(21))
        #expect(Self.matchedIDs(cache, nowhere) == [])
    }

    @Test func statusExpiryTenantAndServicePath() throws {
        let cache = SubscriptionCache()
        cache.upsert(
            try Self.subscription(
                "inactive", Self.payload().replacingOccurrences(of: "}}}", with: #"}},"status":"inactive"}"#)))
        cache.upsert(
            try Self.subscription(
                "expired",
                Self.payload().replacingOccurrences(of: "}}}", with: #"}},"expires":"1970-01-01T00:10:00Z"}"#)))
        cache.upsert(
            try Self.subscription(
                "oneshot", Self.payload().replacingOccurrences(of: "}}}", with: #"}},"status":"oneshot"}"#)))
        cache.upsert(try Self.subscription("other tenant", Self.payload(), tenant: "t2"))
        cache.upsert(try Self.subscription("exact", Self.payload(), servicePath: "/a"))
        cache.upsert(try Self.subscription("below", Self.payload(), servicePath: "/a/#"))
        cache.upsert(try Self.subscription("elsewhere", Self.payload(), servicePath: "/b/#"))
        let root = Self.update(from: Self.temperature(20), to: Self.temperature(21))
        #expect(Self.matchedIDs(cache, root, now: 1000) == ["oneshot"])
        #expect(Self.matchedIDs(cache, root, now: 100) == ["expired", "oneshot"])
        let deep = Self.update(from: Self.temperature(20), to: Self.temperature(21), servicePath: "/a/x")
        #expect(Self.matchedIDs(cache, deep) == ["below", "oneshot"])
        let inA = Self.update(from: Self.temperature(20), to: Self.temperature(21), servicePath: "/a")
        #expect(Self.matchedIDs(cache, inA) == ["below", "exact", "oneshot"])
    }

    @Test func notifiedAttributes() throws {
        let cache = SubscriptionCache()
        cache.upsert(try Self.subscription("all", Self.payload()))
        cache.upsert(
            try Self.subscription(
                "listed", Self.payload(notification: #","attrs":["pressure","missing","dateModified"]"#)))
        cache.upsert(
            try Self.subscription(
                "covered", Self.payload(notification: #","attrs":["pressure","missing"],"covered":true"#)))
        cache.upsert(try Self.subscription("except", Self.payload(notification: #","exceptAttrs":["pressure"]"#)))
        cache.upsert(try Self.subscription("changed", Self.payload(notification: #","onlyChangedAttrs":true"#)))
        let event = Self.update(from: Self.temperature(20), to: Self.temperature(21))
        let attributes = Dictionary(
            uniqueKeysWithValues: cache.matches(event, now: 0).map { ($0.subscription.id, $0.attributes) })
        #expect(attributes["all"] == ["temperature", "pressure"])
        #expect(attributes["listed"] == ["pressure", "dateModified"])
        #expect(attributes["covered"] == ["pressure", "missing"])
        #expect(attributes["except"] == ["temperature"])
        #expect(attributes["changed"] == ["temperature"])
    }

    @Test func upsertReindexesAndRemoveForgets() throws {
        let cache = SubscriptionCache()
        cache.upsert(try Self.subscription("s", Self.payload()))
        cache.upsert(try Self.subscription("s", Self.payload(entities: #"[{"id":"Hall"}]"#)))
        let event = Self.update(from: Self.temperature(20), to: Self.temperature(21))
        #expect(cache.candidates(for: event).isEmpty)
        #expect(cache.subscriptions(tenant: "").map(\.id) == ["s"])
        #expect(cache.remove(id: "s", tenant: ""))
        #expect(cache.count(tenant: "") == 0)
    }

    @Test func theNotificationSideChangesCountersAndStatusInPlace() throws {
        let cache = SubscriptionCache()
        cache.upsert(
            try Self.subscription("s", Self.payload().replacingOccurrences(of: "}}}", with: #"}},"status":"oneshot"}"#))
        )
        let sent = cache.updateState(id: "s", tenant: "") { subscription -> Int in
            subscription.counters.timesSent += 1
            subscription.status = .inactive
            return subscription.counters.timesSent
        }
        #expect(sent == 1)
        #expect(cache.subscription(id: "s", tenant: "")?.counters.timesSent == 1)
        #expect(cache.subscription(id: "s", tenant: "")?.status == .inactive)
        let event = Self.update(from: Self.temperature(20), to: Self.temperature(21))
        #expect(Self.matchedIDs(cache, event).isEmpty)
        #expect(cache.updateState(id: "missing", tenant: "") { _ in true } == nil)
    }

    @Test func aLookupAmong100000SubscriptionsInspectsOnlyItsCandidates() throws {
        let cache = SubscriptionCache()
        let template = try Self.subscription("x", Self.payload())
        var all: [Subscription] = []
        all.reserveCapacity(100_000)
        for index in 0..<100_000 {
            var subscription = template
            subscription.id = "s\(index)"
            // Each on its own entity, a hundred per type; three on Room1, two on type Room by pattern, one pattern.
            subscription.subject.entities = [EntityQuery.Selector(id: "E\(index)", type: "T\(index % 1000)")]
            all.append(subscription)
        }
        for index in 0..<3 { all[index].subject.entities = [EntityQuery.Selector(id: "Room1", type: "Room")] }
        for index in 3..<5 { all[index].subject.entities = [EntityQuery.Selector(idPattern: "^Room", type: "Room")] }
        all[5].subject.entities = [EntityQuery.Selector(idPattern: "1$")]
        cache.load(tenant: "", all)
        let event = Self.update(from: Self.temperature(20), to: Self.temperature(21))
        #expect(cache.candidates(for: event).count == 6)
        #expect(Set(Self.matchedIDs(cache, event)) == ["s0", "s1", "s2", "s3", "s4", "s5"])
        let other = ChangeEvent(
            kind: .entityCreate, tenant: "", previous: nil, current: Self.entity([], id: "E77", type: "T77"),
            changedAttributes: [])
        #expect(cache.candidates(for: other).count == 2)
        #expect(Self.matchedIDs(cache, other) == ["s77"])
    }
}
