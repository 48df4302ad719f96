import Logging
import Persistence
import Testing

@testable import ContextBroker

@Suite struct NGSIErrorResponseTests {
    struct Unexpected: Error, CustomStringConvertible {
        var description: String { "secret detail /var/lib/atrium/orion.sqlite" }
    }

    static let storageErrors: [any Error] = [
        SQLiteError(code: .busy, message: "database is locked"),
        PersistenceError(.corruptedRecord, "stored attributes are not a JSON object"),
        Unexpected(),
    ]

    @Test(arguments: 0..<storageErrors.count)
    func answersOrionsGenericInternalErrorWithoutDetail(index: Int) {
        let error = Self.storageErrors[index]
        let response = NGSIResponse.error(.internalServerError(for: error, logger: Logger(label: "test")))
        #expect(response.status == 500)
        #expect(response.body == #"{"error":"InternalServerError","description":"Internal Server Error"}"#)
    }

    @Test func aCorruptedRowThrowsAStorageErrorForTheEdgeToMap() async throws {
        let fixture = BrokerFixture()
        _ = try await fixture.send("POST", "/v2/entities", #"{"id":"E","type":"T"}"#)
        let database = try await fixture.broker.database(tenant: "")
        try await database.write { connection in
            try await connection.execute("UPDATE entities SET attrs = '[1]'", [])
        }
        let request = NGSIRequest(
            method: "GET", segments: ["E"], parameters: [:], body: [], contentType: nil, accept: nil,
            servicePath: nil, tenant: "", correlator: "c")
        await #expect(throws: PersistenceError(.corruptedRecord, "")) {
            try await fixture.broker.readEntity(request)
        }
    }
}
