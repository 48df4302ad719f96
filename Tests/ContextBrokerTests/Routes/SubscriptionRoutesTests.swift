import Foundation
import Logging
import Persistence
import Testing

@testable import ContextBroker

/// The subscription routes on a real SQLite file: the cache follows every write, and a new broker on the same
/// folder finds what the last one stored.
@Suite struct SubscriptionRoutesTests {
    static let payload =
        #"{"subject":{"entities":[{"id":"Room1","type":"Room"}]},"notification":{"http":{"url":"http://a:1/n"}}}"#

    static func id(_ response: NGSIResponse) throws -> String {
        let location = try #require(response.headers.first { $0.0 == "Location" }?.1)
        return String(location.dropFirst("/v2/subscriptions/".count))
    }

    @Test func theCacheFollowsEachWrite() async throws {
        let fixture = BrokerFixture()
        let created = try await fixture.send("POST", "/v2/subscriptions", Self.payload, servicePath: "/a")
        #expect(created.status == 201)
        let id = try Self.id(created)
        #expect(SubscriptionID.isWellFormed(id))
        let cached = try #require(fixture.broker.subscriptions.subscription(id: id, tenant: ""))
        #expect(cached.servicePath == "/a")
        let event = ChangeEvent(
            kind: .entityCreate, tenant: "", previous: nil,
            current: Entity(id: "Room1", type: "Room", servicePath: "/a", created: 0, modified: 0, attributes: []),
            changedAttributes: [])
        #expect(fixture.broker.subscriptions.matches(event).map(\.subscription.id) == [id])

        let patched = try await fixture.send(
            "PATCH", "/v2/subscriptions/\(id)", #"{"subject":{"entities":[{"id":"Hall"}]}}"#)
        #expect(patched.status == 204)
        #expect(fixture.broker.subscriptions.matches(event).isEmpty)

        #expect(try await fixture.send("DELETE", "/v2/subscriptions/\(id)").status == 204)
        #expect(fixture.broker.subscriptions.subscription(id: id, tenant: "") == nil)
        #expect(try await fixture.send("DELETE", "/v2/subscriptions/\(id)").status == 404)
    }

    @Test func aRefusedPayloadStoresNothing() async throws {
        let fixture = BrokerFixture()
        let refused = try await fixture.send("POST", "/v2/subscriptions", #"{"subject":{"entities":[]}}"#)
        #expect(refused.status == 400)
        #expect(refused.body == #"{"error":"BadRequest","description":"subject entities is empty"}"#)
        #expect(try await fixture.send("GET", "/v2/subscriptions").body == "[]")
        let stored = try await fixture.broker.database(tenant: "").read { connection in
            try await connection.integer("SELECT count(*) FROM subscriptions")
        }
        #expect(stored == 0)
    }

    @Test func aNewBrokerLoadsTheStoredSubscriptions() async throws {
        let fixture = BrokerFixture()
        let first = try Self.id(try await fixture.send("POST", "/v2/subscriptions", Self.payload))
        let second = try Self.id(try await fixture.send("POST", "/v2/subscriptions", Self.payload))
        _ = try await fixture.send("PATCH", "/v2/subscriptions/\(second)", #"{"status":"inactive"}"#)
        let before = try await fixture.send("GET", "/v2/subscriptions").body

        var configuration = BrokerConfiguration()
        configuration.databaseFolder = fixture.folder
        let restarted = ContextBroker(configuration: configuration, logger: Logger(label: "test"))
        _ = try await restarted.database(tenant: "")
        #expect(restarted.subscriptions.subscriptions(tenant: "").map(\.id) == [first, second])
        let rendered = SubscriptionRenderer.render(
            restarted.subscriptions.subscriptions(tenant: ""), now: DateTimeFormat.now()
        ).serialized
        #expect(rendered == before)
        #expect(restarted.subscriptions.subscription(id: second, tenant: "")?.status == .inactive)
    }

    @Test func listsFilterOnTheExactServicePath() async throws {
        let fixture = BrokerFixture()
        let root = try Self.id(try await fixture.send("POST", "/v2/subscriptions", Self.payload))
        let below = try Self.id(try await fixture.send("POST", "/v2/subscriptions", Self.payload, servicePath: "/a/#"))
        #expect(try await fixture.send("GET", "/v2/subscriptions").body?.contains(root) == true)
        #expect(try await fixture.send("GET", "/v2/subscriptions").body?.contains(below) == false)
        let listed = try await fixture.send("GET", "/v2/subscriptions", servicePath: "/a/#").body
        #expect(listed?.contains(below) == true && listed?.contains(root) == false)
        // Retrieval by id ignores the service path.
        #expect(try await fixture.send("GET", "/v2/subscriptions/\(below)").status == 200)
    }
}
