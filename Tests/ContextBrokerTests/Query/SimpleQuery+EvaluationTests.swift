import Persistence
import Testing

@testable import ContextBroker

/// The in-memory evaluation of `q` and `mq` agrees with the SQL that `GET /v2/entities` runs, on the same
/// entities and filters.
@Suite struct SimpleQueryEvaluationTests {
    static let entities = [
        #"{"id":"A","type":"T","t":{"value":21},"name":{"value":"alpha"},"tags":{"value":["x","y",3]}}"#,
        #"{"id":"B","type":"T","t":{"value":35,"metadata":{"accuracy":{"value":1}}},"name":{"value":"beta"}}"#,
        #"{"id":"C","type":"T","t":{"value":"hot"},"on":{"value":true},"n":{"value":null}}"#,
        #"{"id":"D","type":"T","s":{"value":{"a":{"b":5}}},"when":{"type":"DateTime","value":"2020-01-01T00:00:00Z"}}"#,
        #"{"id":"E","type":"T","t":{"value":30,"metadata":{"accuracy":{"value":3}}},"tags":{"value":["z"]}}"#,
    ]

    static let filters: [(String, Bool)] = [
        ("t", false), ("!t", false), ("t==21", false), ("t!=21", false), ("t>21", false), ("t>=30", false),
        ("t<35", false), ("t<=21", false), ("t==20..31", false), ("t!=20..31", false), ("t==21,35", false),
        ("t==hot", false), ("t=='hot'", false), ("name~=^al", false), ("name>b", false), ("name==a..c", false),
        ("tags==y", false), ("tags==3", false), ("on==true", false), ("on==false", false), ("n==null", false),
        ("s.a.b==5", false), ("s.a.b>4", false), ("when<2021-01-01T00:00:00Z", false), ("when>2021-01-01", false),
        ("dateCreated>2000-01-01", false), ("t;name", false), ("t>1;!name", false), ("t.accuracy", true),
        ("t.accuracy<2", true), ("t.accuracy==1..3", true), ("!t.accuracy", true),
    ]

    @Test func agreesWithTheSQLOfEntityQueries() async throws {
        let fixture = BrokerFixture()
        for entity in Self.entities {
            #expect(try await fixture.send("POST", "/v2/entities", entity).status == 201)
        }
        let stored = try await fixture.broker.database(tenant: "").read { connection in
            var entities: [Entity] = []
            for id in ["A", "B", "C", "D", "E"] {
                entities.append(
                    try await EntityStore.findOne(
                        connection, id: id, type: nil, scopes: [ServicePath.Scope(path: "/", recursive: true)],
                        now: DateTimeFormat.now()
                    ).entity)
            }
            return entities
        }
        var selective = 0
        for (text, metadata) in Self.filters {
            let parameter = metadata ? "mq" : "q"
            let escaped = text.addingPercentEncodingForQuery()
            let response = try await fixture.send("GET", "/v2/entities?\(parameter)=\(escaped)&attrs=id&limit=100")
            let json = try JSONParser.parse(try #require(response.body))
            guard case .array(let items) = json else {
                Issue.record("not a list for \(text): \(response.body ?? "")")
                continue
            }
            let fromSQL = items.compactMap { $0["id"]?.stringValue }
            let query = try SimpleQuery(text, metadata: metadata)
            let inMemory = stored.filter { query.matches($0) }.map(\.id)
            #expect(inMemory == fromSQL, "\(parameter)=\(text)")
            if !fromSQL.isEmpty && fromSQL.count < stored.count { selective += 1 }
        }
        // The filters do select: most keep some entities and drop others.
        #expect(selective >= 25)
    }
}

extension String {
    /// Percent-encodes what a query parameter value cannot hold as is, for the test fixture's decoder.
    fileprivate func addingPercentEncodingForQuery() -> String {
        var result = ""
        for byte in utf8 {
            let character = Character(Unicode.Scalar(byte))
            if character.isLetter || character.isNumber || "-_.~!:'=<>;,^*".contains(character) {
                result.append(character)
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded()
            }
        }
        return result
    }

    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}
