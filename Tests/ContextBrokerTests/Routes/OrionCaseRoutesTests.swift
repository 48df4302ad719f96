import Synchronization
import Testing

@testable import ContextBroker

/// Behaviours of Orion 4.7 that its functional-test cases of the entity API check, through the broker's routes.
@Suite struct OrionCaseRoutesTests {
    @Test func setOfANonObjectIsAPlainUpdateAndUnsetOfANonObjectChangesNothing() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send(
            "POST", "/v2/entities", #"{"id":"E","type":"T","A":{"value":{"X":1},"type":"Object"}}"#)
        let set = try await fixture.send(
            "POST", "/v2/entities/E/attrs", #"{"A":{"value":{"$set":"foo"},"type":"Object"}}"#)
        #expect(set.status == 204)
        #expect(set.body == nil)
        let afterSet = try await fixture.send("GET", "/v2/entities/E")
        #expect(afterSet.status == 200)
        #expect(afterSet.body == #"{"id":"E","type":"T","A":{"type":"Object","value":"foo","metadata":{}}}"#)
        _ = try await fixture.send("POST", "/v2/entities/E/attrs", #"{"A":{"value":{"$set":{"X":1}},"type":"Object"}}"#)
        let unset = try await fixture.send(
            "POST", "/v2/entities/E/attrs", #"{"A":{"value":{"$unset":10},"type":"Object"}}"#)
        #expect(unset.status == 204)
        let afterUnset = try await fixture.send("GET", "/v2/entities/E")
        #expect(afterUnset.body == #"{"id":"E","type":"T","A":{"type":"Object","value":{"X":1},"metadata":{}}}"#)
    }

    @Test func pullPullAllAndUnsetCreateNoAttribute() async throws {
        let fixture = BrokerFixture()
        let created = try await fixture.send(
            "POST", "/v2/entities",
            #"{"id":"E","type":"T","A":{"value":{"$pull":"foo"}},"B":{"value":{"$pullAll":[1]}},"#
                + #""C":{"value":{"$unset":1}},"D":{"value":{"$unset":{"x":1}}},"F":{"value":2,"type":"Number"}}"#)
        #expect(created.status == 201)
        #expect(created.headers.map(\.0) == ["Location"] && created.headers.first?.1 == "/v2/entities/E?type=T")
        let read = try await fixture.send("GET", "/v2/entities/E")
        #expect(read.status == 200)
        #expect(read.body == #"{"id":"E","type":"T","F":{"type":"Number","value":2,"metadata":{}}}"#)
        _ = try await fixture.send("POST", "/v2/entities/E/attrs", #"{"G":{"value":{"$pull":1}}}"#)
        #expect(try await fixture.send("GET", "/v2/entities/E").body == read.body)
    }

    @Test func anOperatorThatLeavesTheValueCountsAsAChange() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send(
            "POST", "/v2/entities", #"{"id":"E","type":"T","A":{"value":[1],"type":"StructuredValue"}}"#)
        let same = try await fixture.send("POST", "/v2/entities/E/attrs", #"{"A":{"value":{"$addToSet":1}}}"#)
        #expect(same.status == 204)
        let plain = try await fixture.send("POST", "/v2/entities/E/attrs", #"{"A":{"value":[1]}}"#)
        #expect(plain.status == 204)
        let kinds = fixture.sink.events.withLock { $0.map(\.kind) }
        #expect(kinds == [.entityCreate, .entityChange, .entityUpdate])
    }

    @Test func refusesServicePathLevelsOfZeroLength() async throws {
        let fixture = BrokerFixture()
        for path in ["//Level_1", "///Level_1///Level_2//", "/Level_1//Level_2"] {
            let response = try await fixture.send("POST", "/v2/entities", #"{"id":"E","type":"T"}"#, servicePath: path)
            #expect(response.status == 400)
            #expect(
                response.body
                    == #"{"error":"BadRequest","description":"Zero length service path levels are not allowed, minimum 1 charater is required"}"#
            )
        }
        let trailing = try await fixture.send(
            "POST", "/v2/entities", #"{"id":"E","type":"T"}"#, servicePath: "/Level_1/Level_2/")
        #expect(trailing.status == 201)
    }
}
