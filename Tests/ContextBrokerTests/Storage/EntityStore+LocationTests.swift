import Foundation
import Persistence
import Testing

@testable import ContextBroker

@Suite struct EntityStoreLocationTests {
    @Test func fillsLocationColumnsOnWriteAndForRowsWrittenBeforeTheMigration() async throws {
        let path = NSTemporaryDirectory() + "broker-location-" + UUID().uuidString + "/orion.sqlite"
        let attributes = AttributeCodec.encode([
            Attribute(name: "position", type: "geo:point", value: .string("40.5, -3.5"), modified: 1),
            Attribute(name: "t", type: "Number", value: .number(1)),
        ])
        // A file written by the first schema, before locations were kept.
        do {
            let old = try SQLiteDatabase(path: path, migrations: [BrokerSchema.migrations[0]])
            try await old.write { connection in
                try await connection.execute(
                    "INSERT INTO entities (id, type, service_path, created, modified, attrs) VALUES (?, ?, ?, 0, 0, ?)",
                    [.text("Old"), .text("T"), .text("/"), .text(attributes)])
            }
        }
        let database = try SQLiteDatabase(
            path: path, migrations: BrokerSchema.migrations, functions: BrokerSchema.functions)
        try await database.write { connection in
            let entity = Entity(
                id: "New", type: "T", servicePath: "/", created: 0, modified: 0,
                attributes: [
                    Attribute(name: "area", type: "geo:box", value: .array([.string("0, 0"), .string("1, 2")]))
                ])
            _ = try await EntityStore.insert(connection, entity)
        }
        let rows = try await database.read { connection in
            var rows: [[SQLValue]] = []
            try await connection.forEachRow(
                "SELECT id, \(EntityStore.locationColumns) FROM entities ORDER BY pk"
            ) { row in rows.append((0..<6).map { row.value(at: $0) }) }
            return rows
        }
        #expect(
            rows == [
                [
                    .text("Old"), .text(#"{"type":"Point","coordinates":[-3.5,40.5]}"#), .real(-3.5), .real(40.5),
                    .real(-3.5), .real(40.5),
                ],
                [
                    .text("New"), .text(#"{"type":"Polygon","coordinates":[[[0,0],[0,1],[2,1],[2,0],[0,0]]]}"#),
                    .real(0), .real(0), .real(2), .real(1),
                ],
            ])
        var query = EntityQuery()
        query.geo = try GeoQuery(georel: "near;maxDistance:1000", geometry: "point", coords: "40.5,-3.5")
        let found = try await database.read { connection in
            try await EntityStore.query(connection, query, compiled: query.compiled(now: 0)).entities
        }
        #expect(found.map(\.id) == ["Old"])
    }
}
