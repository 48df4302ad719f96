import Persistence

/// The broker's tables, one database per tenant.
enum BrokerSchema {
    static let migrations: [Migration] = [
        Migration(
            "v1-entities",
            sql: """
                CREATE TABLE entities (
                    pk INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    service_path TEXT NOT NULL,
                    created REAL NOT NULL,
                    modified REAL NOT NULL,
                    expires REAL,
                    attrs TEXT NOT NULL,
                    UNIQUE (id, type, service_path)
                );
                CREATE INDEX entities_type ON entities (type);
                CREATE INDEX entities_service_path ON entities (service_path);
                CREATE INDEX entities_created ON entities (created);
                CREATE INDEX entities_modified ON entities (modified);
                CREATE INDEX entities_expires ON entities (expires) WHERE expires IS NOT NULL;
                """),
        // The location of each entity (orion-api.md, "Geospatial properties of entities"): its geometry as
        // GeoJSON for the exact test of geo-queries, and its bounding box, indexed, for the coarse one.
        Migration("v2-location") { connection in
            try connection.executeScript(
                """
                ALTER TABLE entities ADD COLUMN location TEXT;
                ALTER TABLE entities ADD COLUMN min_lon REAL;
                ALTER TABLE entities ADD COLUMN min_lat REAL;
                ALTER TABLE entities ADD COLUMN max_lon REAL;
                ALTER TABLE entities ADD COLUMN max_lat REAL;
                CREATE INDEX entities_location ON entities (min_lon, min_lat, max_lon, max_lat)
                    WHERE location IS NOT NULL;
                """)
            try EntityStore.backfillLocations(connection)
        },
        // Subscriptions (orion-api.md, "Subscriptions Operations"): each one's document as the broker renders it
        // for storage (see ``SubscriptionStore``), with its id and service path as columns; `pk` keeps creation
        // order, which `GET /v2/subscriptions` lists in.
        Migration(
            "v3-subscriptions",
            sql: """
                CREATE TABLE subscriptions (
                    pk INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    service_path TEXT NOT NULL,
                    document TEXT NOT NULL
                );
                """),
        // The change journal and the notification outbox of `-notifOutbox` (see ``NotificationOutboxStore``):
        // empty without it.
        Migration(
            "v4-notification-outbox",
            sql: """
                CREATE TABLE change_journal (
                    seq INTEGER PRIMARY KEY,
                    event TEXT NOT NULL
                );
                CREATE TABLE notification_outbox (
                    seq INTEGER PRIMARY KEY,
                    subscription_id TEXT NOT NULL,
                    notification TEXT NOT NULL,
                    body BLOB NOT NULL
                );
                """),
    ]

    /// The SQL functions the broker's queries call.
    static let functions: [SQLFunction] = [
        SQLFunction("ngsi_regex", argumentCount: 2, deterministic: true) { arguments in
            guard case .text(let pattern) = arguments[0], case .text(let text) = arguments[1] else {
                return .integer(0)
            }
            return .integer(RegexCache.shared.matches(pattern: pattern, text) ? 1 : 0)
        },
        // ngsi_geo_match(query, location): whether a stored location satisfies a geo-query's relation.
        SQLFunction("ngsi_geo_match", argumentCount: 2, deterministic: true) { arguments in
            guard case .text(let text) = arguments[0], case .text(let stored) = arguments[1],
                let query = GeoQueryCache.shared.query(text), let value = try? JSONParser.parse(stored),
                case .success(let location) = GeoGeometry.parse(geoJSON: value)
            else { return .integer(0) }
            return .integer(query.matches(location) ? 1 : 0)
        },
        // ngsi_geo_distance(longitude, latitude, location): metres from the point to the stored location.
        SQLFunction("ngsi_geo_distance", argumentCount: 3, deterministic: true) { arguments in
            guard let longitude = arguments[0].double, let latitude = arguments[1].double,
                case .text(let stored) = arguments[2], let value = try? JSONParser.parse(stored),
                case .success(let location) = GeoGeometry.parse(geoJSON: value)
            else { return .null }
            return .real(location.distance(from: GeoPosition(longitude: longitude, latitude: latitude)))
        },
    ]

    /// The name of the expression index for a JSON path: stable and made only of safe characters.
    static func indexName(for path: String) -> String {
        "entities_value_" + stableHash(path)
    }

    /// FNV-1a of the text in hexadecimal: the same in every process, unlike `Hasher`.
    static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
