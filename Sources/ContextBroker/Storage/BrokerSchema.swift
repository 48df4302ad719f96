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
                """)
    ]

    /// The SQL functions the broker's queries call.
    static let functions: [SQLFunction] = [
        SQLFunction("ngsi_regex", argumentCount: 2, deterministic: true) { arguments in
            guard case .text(let pattern) = arguments[0], case .text(let text) = arguments[1] else {
                return .integer(0)
            }
            return .integer(RegexCache.shared.matches(pattern: pattern, text) ? 1 : 0)
        }
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
