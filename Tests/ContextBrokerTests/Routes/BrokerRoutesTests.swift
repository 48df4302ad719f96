import Foundation
import Logging
import Synchronization
import Testing

@testable import ContextBroker

/// Collects the change events of a broker under test.
final class RecordingSink: ChangeSink {
    let events = Mutex<[ChangeEvent]>([])
    func entitiesChanged(_ events: [ChangeEvent]) async {
        self.events.withLock { $0.append(contentsOf: events) }
    }
}

/// Runs the broker's routes on a real SQLite file in a temporary folder, without HTTP.
struct BrokerFixture {
    let broker: ContextBroker
    let sink = RecordingSink()
    let folder: String

    init() {
        folder = NSTemporaryDirectory() + "broker-tests-" + UUID().uuidString
        var configuration = BrokerConfiguration()
        configuration.databaseFolder = folder
        broker = ContextBroker(configuration: configuration, sink: sink, logger: Logger(label: "test"))
    }

    func send(
        _ method: String, _ path: String, _ body: String = "", servicePath: String? = nil
    ) async throws -> NGSIResponse {
        let pieces = path.split(separator: "?", maxSplits: 1)
        var parameters: [String: String] = [:]
        if pieces.count > 1 {
            for pair in pieces[1].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                parameters[String(parts[0])] = parts.count > 1 ? String(parts[1]).removingPercentEncoding : ""
            }
        }
        let segments = pieces[0].split(separator: "/").map(String.init)
        guard let (route, pathParameters) = Route.match(segments) else { throw NGSIError.serviceNotFound }
        let request = NGSIRequest(
            method: method, segments: pathParameters, parameters: parameters, body: Array(body.utf8),
            contentType: body.isEmpty ? nil : "application/json", accept: nil, servicePath: servicePath, tenant: "",
            correlator: "c")
        do {
            return try await broker.dispatch(route, request)
        } catch let error as NGSIError {
            return .error(error)
        }
    }
}

@Suite struct BrokerRoutesTests {
    @Test func createsRetrievesAndDeletesAnEntity() async throws {
        let fixture = BrokerFixture()
        let created = try await fixture.send("POST", "/v2/entities", #"{"id":"E1","type":"T","a":{"value":1}}"#)
        #expect(created.status == 201)
        #expect(created.headers.first?.0 == "Location" && created.headers.first?.1 == "/v2/entities/E1?type=T")
        let again = try await fixture.send("POST", "/v2/entities", #"{"id":"E1","type":"T"}"#)
        #expect(again.body == #"{"error":"Unprocessable","description":"Already Exists"}"#)
        #expect(again.status == 422)
        let read = try await fixture.send("GET", "/v2/entities/E1")
        #expect(read.body == #"{"id":"E1","type":"T","a":{"type":"Number","value":1,"metadata":{}}}"#)
        #expect(try await fixture.send("DELETE", "/v2/entities/E1").status == 204)
        let gone = try await fixture.send("GET", "/v2/entities/E1")
        #expect(gone.status == 404)
        #expect(
            gone.body
                == #"{"error":"NotFound","description":"The requested entity has not been found. Check type and id"}"#)
        let kinds = fixture.sink.events.withLock { $0.map(\.kind) }
        #expect(kinds == [.entityCreate, .entityDelete])
    }

    @Test func answers409ForAnAmbiguousId() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send("POST", "/v2/entities", #"{"id":"E","type":"A"}"#)
        _ = try await fixture.send("POST", "/v2/entities", #"{"id":"E","type":"B"}"#)
        let response = try await fixture.send("GET", "/v2/entities/E")
        #expect(response.status == 409)
        #expect(
            response.body
                == #"{"error":"TooManyResults","description":"More than one matching entity. Please refine your query"}"#
        )
        #expect(try await fixture.send("GET", "/v2/entities/E?type=B").status == 200)
    }

    @Test func producesChangeEventsWithPreviousAndNewValues() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send("POST", "/v2/entities", #"{"id":"E","t":{"value":1}}"#)
        _ = try await fixture.send("PATCH", "/v2/entities/E/attrs", #"{"t":{"value":{"$inc":2}}}"#)
        let events = fixture.sink.events.withLock { $0 }
        #expect(events.count == 2)
        #expect(events[1].kind == .entityChange)
        #expect(events[1].changedAttributes == ["t"])
        #expect(events[1].previous?.attribute(named: "t")?.value == .number(1))
        #expect(events[1].current?.attribute(named: "t")?.value == .number(3))
        #expect(events[1].entity?.type == "Thing")
    }

    @Test func queriesRunInSQL() async throws {
        let fixture = BrokerFixture()
        let entities = [
            #"{"id":"R1","type":"Room","t":{"value":10},"c":{"value":"red"},"tags":{"value":["x","y"]}}"#,
            #"{"id":"R2","type":"Room","t":{"value":25},"c":{"value":"blue"},"s":{"value":{"a":{"b":5}}}}"#,
            #"{"id":"R3","type":"Room","t":{"value":"30"},"c":{"value":"light,green"}}"#,
            #"{"id":"C1","type":"Car","t":{"value":true}}"#,
        ]
        for entity in entities { _ = try await fixture.send("POST", "/v2/entities", entity) }
        func ids(_ query: String) async throws -> String {
            let response = try await fixture.send("GET", "/v2/entities?attrs=none&options=keyValues&" + query)
            return response.body ?? ""
        }
        #expect(try await ids("q=t>5") == #"[{"id":"R1","type":"Room"},{"id":"R2","type":"Room"}]"#)
        #expect(try await ids("q=t==10..20") == #"[{"id":"R1","type":"Room"}]"#)
        #expect(try await ids("q=t=='30'") == #"[{"id":"R3","type":"Room"}]"#)
        #expect(try await ids("q=t==true") == #"[{"id":"C1","type":"Car"}]"#)
        #expect(try await ids("q=c=='light,green',blue") == #"[{"id":"R2","type":"Room"},{"id":"R3","type":"Room"}]"#)
        #expect(try await ids("q=c~=^r") == #"[{"id":"R1","type":"Room"}]"#)
        #expect(try await ids("q=c!=red;t") == #"[{"id":"R2","type":"Room"},{"id":"R3","type":"Room"}]"#)
        #expect(try await ids("q=tags==y") == #"[{"id":"R1","type":"Room"}]"#)
        #expect(try await ids("q=s.a.b>=5") == #"[{"id":"R2","type":"Room"}]"#)
        #expect(try await ids("q=!c") == #"[{"id":"C1","type":"Car"}]"#)
        #expect(
            try await ids("idPattern=^R[12]&type=Room") == #"[{"id":"R1","type":"Room"},{"id":"R2","type":"Room"}]"#)
        #expect(try await ids("typePattern=ar$") == #"[{"id":"C1","type":"Car"}]"#)
        #expect(try await ids("id=R3,C1") == #"[{"id":"R3","type":"Room"},{"id":"C1","type":"Car"}]"#)
        #expect(
            try await ids("orderBy=!t")
                == #"[{"id":"C1","type":"Car"},{"id":"R3","type":"Room"},{"id":"R2","type":"Room"},{"id":"R1","type":"Room"}]"#
        )
        #expect(try await ids("orderBy=id&limit=1&offset=1") == #"[{"id":"R1","type":"Room"}]"#)
        let counted = try await fixture.send("GET", "/v2/entities?limit=0&options=count")
        #expect(counted.body == "[]")
        #expect(counted.headers.first?.0 == "Fiware-Total-Count" && counted.headers.first?.1 == "4")
    }

    @Test func servicePathsScopeQueriesAndWrites() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send("POST", "/v2/entities", #"{"id":"E","type":"T"}"#, servicePath: "/a/b")
        _ = try await fixture.send("POST", "/v2/entities", #"{"id":"E","type":"T"}"#, servicePath: "/c")
        #expect(
            try await fixture.send("GET", "/v2/entities?options=count", servicePath: "/a/#").headers.first?.1 == "1")
        #expect(try await fixture.send("GET", "/v2/entities?options=count", servicePath: "/a").headers.first?.1 == "0")
        #expect(try await fixture.send("GET", "/v2/entities?options=count").headers.first?.1 == "2")
        #expect(
            try await fixture.send("GET", "/v2/entities?options=count", servicePath: "/a/b,/c").headers.first?.1 == "2")
        #expect(try await fixture.send("DELETE", "/v2/entities/E", servicePath: "/c").status == 204)
    }

    @Test func stickyMetadataAndOverride() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send(
            "POST", "/v2/entities", #"{"id":"E","type":"T","a":{"value":1,"metadata":{"m1":{"value":1}}}}"#)
        _ = try await fixture.send("PATCH", "/v2/entities/E/attrs", #"{"a":{"value":2,"metadata":{"m2":{"value":2}}}}"#)
        #expect(
            try await fixture.send("GET", "/v2/entities/E/attrs/a").body
                == #"{"type":"Number","value":2,"metadata":{"m1":{"type":"Number","value":1},"m2":{"type":"Number","value":2}}}"#
        )
        _ = try await fixture.send(
            "PATCH", "/v2/entities/E/attrs?options=overrideMetadata", #"{"a":{"value":3,"metadata":{}}}"#)
        #expect(
            try await fixture.send("GET", "/v2/entities/E/attrs/a").body
                == #"{"type":"Number","value":3,"metadata":{}}"#)
    }

    @Test func attributeRoutesFollowOrionsRules() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send("POST", "/v2/entities", #"{"id":"E","type":"T","a":{"value":1}}"#)
        let append = try await fixture.send("POST", "/v2/entities/E/attrs?options=append", #"{"a":{"value":2}}"#)
        #expect(
            append.body
                == #"{"error":"Unprocessable","description":"one or more of the attributes in the request already exist: [ a ]"}"#
        )
        let patch = try await fixture.send("PATCH", "/v2/entities/E/attrs", #"{"b":{"value":2}}"#)
        #expect(
            patch.body
                == #"{"error":"Unprocessable","description":"one or more of the attributes in the request do not exist: [ b ]"}"#
        )
        #expect(try await fixture.send("PUT", "/v2/entities/E/attrs", #"{"z":{"value":"v"}}"#).status == 204)
        #expect(
            try await fixture.send("GET", "/v2/entities/E?options=keyValues").body == #"{"id":"E","type":"T","z":"v"}"#)
        let missing = try await fixture.send("DELETE", "/v2/entities/E/attrs/a")
        #expect(missing.body == #"{"error":"NotFound","description":"The entity does not have such an attribute"}"#)
    }

    @Test func batchUpdateAppliesWhatItCanAndReportsTheRest() async throws {
        let fixture = BrokerFixture()
        let append = try await fixture.send(
            "POST", "/v2/op/update",
            #"{"actionType":"append","entities":[{"id":"A","type":"T","x":{"value":1}},{"id":"B","type":"T"}]}"#)
        #expect(append.status == 204)
        let update = try await fixture.send(
            "POST", "/v2/op/update",
            #"{"actionType":"update","entities":[{"id":"A","type":"T","x":{"value":2}},{"id":"Z","type":"T","x":{"value":2}}]}"#
        )
        #expect(update.status == 422)
        #expect(update.body?.contains(#""error":"PartialUpdate""#) == true)
        #expect(
            try await fixture.send("GET", "/v2/entities/A?options=keyValues").body == #"{"id":"A","type":"T","x":2}"#)
        let invalid = try await fixture.send(
            "POST", "/v2/op/update",
            #"{"actionType":"append","entities":[{"id":"C","type":"T"},{"id":"D(","type":"T"}]}"#)
        #expect(invalid.body == #"{"error":"BadRequest","description":"Invalid characters in entity id"}"#)
        #expect(try await fixture.send("GET", "/v2/entities/C").status == 404)
        let query = try await fixture.send(
            "POST", "/v2/op/query?options=keyValues",
            #"{"entities":[{"idPattern":".*","type":"T"}],"expression":{"q":"x>1"}}"#)
        #expect(query.body == #"[{"id":"A","type":"T","x":2}]"#)
    }
}

@Suite struct ChangeEventKindTests {
    @Test func anUpdateThatChangesNothingIsAnEntityUpdateUnlessForced() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send("POST", "/v2/entities", #"{"id":"E","t":{"value":1}}"#)
        _ = try await fixture.send("PATCH", "/v2/entities/E/attrs", #"{"t":{"value":1}}"#)
        _ = try await fixture.send("PATCH", "/v2/entities/E/attrs?options=forcedUpdate", #"{"t":{"value":1}}"#)
        _ = try await fixture.send(
            "POST", "/v2/op/update", #"{"actionType":"update","entities":[{"id":"E","t":{"value":5}}]}"#)
        let kinds = fixture.sink.events.withLock { $0.map(\.kind) }
        #expect(kinds == [.entityCreate, .entityUpdate, .entityChange, .entityChange])
    }
}

@Suite struct BatchErrorTests {
    @Test func namesEachMissingEntityAndAttribute() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send("POST", "/v2/entities", #"{"id":"A","type":"T","x":{"value":1}}"#)
        let response = try await fixture.send(
            "POST", "/v2/op/update",
            #"{"actionType":"update","entities":[{"id":"A","type":"T","y":{"value":1}},{"id":"B","type":"T","x":{"value":1}}]}"#
        )
        #expect(response.status == 422)
        #expect(
            response.body
                == #"{"error":"PartialUpdate","description":"do not exist: A/T - [ y ], B/T - [entity itself]"}"#)
        let single = try await fixture.send(
            "POST", "/v2/op/update", #"{"actionType":"delete","entities":[{"id":"Z","type":"T"}]}"#)
        #expect(single.status == 404)
    }
}

@Suite struct TransientEntityTests {
    @Test func expiredEntitiesAreHiddenThenPurged() async throws {
        let fixture = BrokerFixture()
        let later = #"{"id":"L","type":"T","dateExpires":{"type":"DateTime","value":"2999-01-01T00:00:00Z"}}"#
        let past = #"{"id":"P","type":"T","dateExpires":{"type":"DateTime","value":"2000-01-01T00:00:00Z"}}"#
        #expect(try await fixture.send("POST", "/v2/entities", later).status == 201)
        #expect(try await fixture.send("POST", "/v2/entities", past).status == 201)
        #expect(try await fixture.send("GET", "/v2/entities/P").status == 404)
        #expect(
            try await fixture.send("GET", "/v2/entities/L?attrs=dateExpires").body
                == #"{"id":"L","type":"T","dateExpires":{"type":"DateTime","value":"2999-01-01T00:00:00.000Z","metadata":{}}}"#
        )
        #expect(try await fixture.send("GET", "/v2/entities/L").body == #"{"id":"L","type":"T"}"#)
        #expect(try await fixture.broker.purgeExpiredEntities() == 1)
        #expect(try await fixture.broker.purgeExpiredEntities() == 0)
    }
}

/// Entities are copied from their stored attributes when they can be and rendered the long way otherwise; a
/// page may mix both, and the bytes must not show which way each entity went.
@Suite struct StoredRenderingTests {
    @Test func pagesMixCopiedAndRenderedEntities() async throws {
        let fixture = BrokerFixture()
        let plain = #"{"id":"A","type":"T","n":{"value":1,"metadata":{"unit":{"value":"C"}}}}"#
        let dated = #"{"id":"B","type":"T","when":{"type":"DateTime","value":"2026-11-30T12:00:00Z"}}"#
        #expect(try await fixture.send("POST", "/v2/entities", plain).status == 201)
        #expect(try await fixture.send("POST", "/v2/entities", dated).status == 201)
        let copiedA =
            #"{"id":"A","type":"T","n":{"type":"Number","value":1,"metadata":{"unit":{"type":"Text","value":"C"}}}}"#
        let renderedB =
            #"{"id":"B","type":"T","when":{"type":"DateTime","value":"2026-11-30T12:00:00.000Z","metadata":{}}}"#
        #expect(try await fixture.send("GET", "/v2/entities?type=T").body == "[\(copiedA),\(renderedB)]")
        #expect(
            try await fixture.send("GET", "/v2/entities?type=T&options=keyValues").body
                == #"[{"id":"A","type":"T","n":1},{"id":"B","type":"T","when":"2026-11-30T12:00:00.000Z"}]"#)
        #expect(try await fixture.send("GET", "/v2/entities/A").body == copiedA)
        #expect(try await fixture.send("GET", "/v2/entities/B").body == renderedB)
        #expect(
            try await fixture.send("GET", "/v2/entities/A/attrs").body
                == #"{"n":{"type":"Number","value":1,"metadata":{"unit":{"type":"Text","value":"C"}}}}"#)
        #expect(
            try await fixture.send("GET", "/v2/entities/B/attrs?options=keyValues").body
                == #"{"when":"2026-11-30T12:00:00.000Z"}"#)
        // Projections and the values forms take the renderer for every entity.
        #expect(try await fixture.send("GET", "/v2/entities/A?attrs=n&metadata=unit").body == copiedA)
        #expect(try await fixture.send("GET", "/v2/entities?type=T&options=values&attrs=n").body == "[[1],[]]")
    }
}

@Suite struct BatchPayloadCheckTests {
    /// Each bad payload of `POST /v2/op/update` and Orion's answer to it.
    @Test(arguments: [
        ("{}", #"{"error":"BadRequest","description":"empty payload"}"#),
        ("[1]", #"{"error":"ParseError","description":"Errors found in incoming JSON buffer"}"#),
        (
            #"{"actionType":"update"}"#,
            #"{"error":"BadRequest","description":"Invalid JSON payload, mandatory field /entities/ not found"}"#
        ),
        (
            #"{"entities":[{"id":"E","type":"T"}]}"#,
            #"{"error":"BadRequest","description":"Invalid JSON payload, mandatory field /actionType/ not found"}"#
        ),
        (
            #"{"actionType":"update","entities":[{"id":"E","type":"T"}],"foo":6}"#,
            #"{"error":"BadRequest","description":"Unrecognized field in JSON payload: /foo/"}"#
        ),
        (
            #"{"actionType":"update","entities":[{"type":"T"}]}"#,
            #"{"error":"BadRequest","description":"nor /id/ nor /idPattern/ present"}"#
        ),
        (
            #"{"actionType":"update","entities":[{"id":"E","idPattern":"E.*"}]}"#,
            #"{"error":"BadRequest","description":"both /id/ and /idPattern/ present"}"#
        ),
        (
            #"{"actionType":"update","entities":{"id":"E"}}"#,
            #"{"error":"BadRequest","description":"not a JSON array"}"#
        ),
        (
            #"{"actionType":"update","entities":["E"]}"#,
            #"{"error":"BadRequest","description":"entity is not a JSON object"}"#
        ),
        // Members are checked in the order given: the bad action type comes first here.
        (
            #"{"actionType":"upsert","entities":[{"type":"T"}]}"#,
            #"{"error":"BadRequest","description":"invalid update action type: right ones are: append, appendStrict, delete, replace, update"}"#
        ),
    ])
    func answersAsOrion(payload: String, answer: String) async throws {
        let fixture = BrokerFixture()
        let response = try await fixture.send("POST", "/v2/op/update", payload)
        #expect(response.status == 400)
        #expect(response.body == answer)
    }
}

@Suite struct PartialUpdateTests {
    @Test func strictAppendAddsTheNewAttributesAndRefusesTheExistingOnes() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send("POST", "/v2/entities?options=keyValues", #"{"id":"E1","a4":4}"#)
        let refused = try await fixture.send(
            "POST", "/v2/entities/E1/attrs?options=append,keyValues", #"{"a4":44,"a5":5}"#)
        #expect(refused.status == 422)
        #expect(
            refused.body
                == #"{"error":"Unprocessable","description":"one or more of the attributes in the request already exist: [ a4 ]"}"#
        )
        let entity = try await fixture.send("GET", "/v2/entities/E1?options=keyValues")
        #expect(entity.body == #"{"id":"E1","type":"Thing","a4":4,"a5":5}"#)
    }

    @Test func patchUpdatesTheExistingAttributesAndRefusesTheMissingOnes() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send("POST", "/v2/entities?options=keyValues", #"{"id":"E1","a":1}"#)
        let refused = try await fixture.send("PATCH", "/v2/entities/E1/attrs?options=keyValues", #"{"a":2,"b":3}"#)
        #expect(refused.status == 422)
        #expect(
            refused.body
                == #"{"error":"Unprocessable","description":"one or more of the attributes in the request do not exist: [ b ]"}"#
        )
        #expect(
            try await fixture.send("GET", "/v2/entities/E1?options=keyValues").body
                == #"{"id":"E1","type":"Thing","a":2}"#)
        // Nothing applicable: nothing written, no change event.
        let before = fixture.sink.events.withLock { $0.count }
        _ = try await fixture.send("PATCH", "/v2/entities/E1/attrs?options=keyValues", #"{"c":3}"#)
        #expect(fixture.sink.events.withLock { $0.count } == before)
    }
}

@Suite struct DateExpiresTypeTests {
    @Test func aDateExpiresThatIsNotADateTimeIsRefused() async throws {
        let fixture = BrokerFixture()
        let refused = try await fixture.send(
            "POST", "/v2/entities",
            #"{"id":"E1","type":"T1","dateExpires":{"type":"invalidType","value":"2018-01-01T00:00:00Z"}}"#)
        #expect(refused.status == 400)
        #expect(
            refused.body
                == #"{"error":"BadRequest","description":"error processing date expiration attribute, see log traces"}"#
        )
        #expect(try await fixture.send("GET", "/v2/entities/E1").status == 404)
    }
}

@Suite struct UpsertTests {
    @Test func upsertAnswers204WithTheLocationWhetherItCreatesOrUpdates() async throws {
        let fixture = BrokerFixture()
        for _ in 0..<2 {
            let response = try await fixture.send(
                "POST", "/v2/entities?options=upsert",
                #"{"id":"E3","type":"T","A":{"value":{"$min":2},"type":"Number"}}"#)
            #expect(response.status == 204)
            #expect(response.headers.map(\.0) == ["Location"])
            #expect(response.headers.first?.1 == "/v2/entities/E3?type=T")
        }
        // $min on a new attribute starts from 0; then min(0, 2) again.
        #expect(
            try await fixture.send("GET", "/v2/entities/E3?options=keyValues").body == #"{"id":"E3","type":"T","A":0}"#)
    }
}

@Suite struct MetadataPayloadTests {
    @Test(arguments: [
        (
            #"{"id":"E1","a":{"value":1,"metadata":{"m":{"type":5,"value":1}}}}"#,
            "invalid JSON type for attribute metadata type"
        ),
        (
            #"{"id":"E1","a":{"value":1,"metadata":{"m":{"value":1,"foo":2}}}}"#,
            "invalid JSON field for attribute metadata"
        ),
        (#"{"id":"E1","a":{"value":1,"metadata":{"m":3}}}"#, "metadata must be a JSON object"),
    ])
    func refusesAsOrion(payload: String, description: String) async throws {
        let fixture = BrokerFixture()
        let response = try await fixture.send("POST", "/v2/entities", payload)
        #expect(response.status == 400)
        #expect(response.body == #"{"error":"BadRequest","description":""# + description + #""}"#)
    }
}

@Suite struct KeyValuesUpdateTests {
    @Test func aKeyValuesUpdateGivesTheAttributeTheDefaultTypeOfItsValue() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send("POST", "/v2/entities", #"{"id":"E2","type":"T","A2":{"type":"AT2","value":"03"}}"#)
        #expect(
            try await fixture.send("PATCH", "/v2/entities/E2/attrs?options=keyValues", #"{"A2":null}"#).status == 204)
        #expect(
            try await fixture.send("GET", "/v2/entities/E2").body
                == #"{"id":"E2","type":"T","A2":{"type":"None","value":null,"metadata":{}}}"#)
        // A normalized update without a type keeps the stored type.
        _ = try await fixture.send("PATCH", "/v2/entities/E2/attrs", #"{"A2":{"value":5}}"#)
        _ = try await fixture.send("PATCH", "/v2/entities/E2/attrs", #"{"A2":{"type":"AT2","value":5}}"#)
        _ = try await fixture.send("PATCH", "/v2/entities/E2/attrs", #"{"A2":{"value":6}}"#)
        #expect(
            try await fixture.send("GET", "/v2/entities/E2").body
                == #"{"id":"E2","type":"T","A2":{"type":"AT2","value":6,"metadata":{}}}"#)
    }
}
