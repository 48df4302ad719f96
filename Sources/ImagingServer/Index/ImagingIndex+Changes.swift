import GRDB

/// One entry of the changes log.
package struct ChangeRecord: Sendable, Equatable {
    package let seq: Int64
    package let change: Int
    package let level: ResourceLevel
    package let id: OrthancID
    package let date: String
}

/// One entry of the exports log.
package struct ExportRecord: Sendable, Equatable {
    package let seq: Int64
    package let level: ResourceLevel
    package let id: OrthancID
    package let remoteModality: String
    package let patientID: String?
    package let studyInstanceUID: String?
    package let seriesInstanceUID: String?
    package let sopInstanceUID: String?
    package let date: String
}

extension ImagingIndex {
    /// At most `limit` changes after `since`, and whether they reach the end of the log.
    package func changes(since: Int64, limit: Int) async throws -> (changes: [ChangeRecord], done: Bool, last: Int64) {
        try await read { database in
            let rows = try Row.fetchAll(
                database,
                sql: """
                    SELECT c.seq, c.changeType, c.resourceType, r.publicId, c.date FROM Changes c
                    JOIN Resources r ON r.internalId = c.internalId
                    WHERE c.seq > ? ORDER BY c.seq LIMIT ?
                    """,
                arguments: [since, limit + 1])
            let done = rows.count <= limit
            let changes = rows.prefix(limit).compactMap { row -> ChangeRecord? in
                guard let level = ResourceLevel(rawValue: row[2]) else { return nil }
                return ChangeRecord(seq: row[0], change: row[1], level: level, id: OrthancID(row[3] as String),
                    date: row[4])
            }
            let last: Int64
            if let final = changes.last {
                last = final.seq
            } else {
                last = try Int64.fetchOne(database, sql: "SELECT MAX(seq) FROM Changes") ?? 0
            }
            return (changes, done, last)
        }
    }

    /// The last change, as `?last` gives it.
    package func lastChange() async throws -> (changes: [ChangeRecord], last: Int64) {
        try await read { database in
            let row = try Row.fetchOne(
                database,
                sql: """
                    SELECT c.seq, c.changeType, c.resourceType, r.publicId, c.date FROM Changes c
                    JOIN Resources r ON r.internalId = c.internalId ORDER BY c.seq DESC LIMIT 1
                    """)
            guard let row, let level = ResourceLevel(rawValue: row[2]) else { return ([], 0) }
            let change = ChangeRecord(seq: row[0], change: row[1], level: level, id: OrthancID(row[3] as String),
                date: row[4])
            return ([change], change.seq)
        }
    }

    /// Empties the changes log.
    package func clearChanges() async throws {
        try await write { database in try database.execute(sql: "DELETE FROM Changes") }
    }

    /// Logs a change about an existing resource (e.g. a stable resource).
    package func logChange(_ change: ChangeType, id: OrthancID, level: ResourceLevel) async throws {
        try await write { database in
            guard let internalID = try Self.internalID(of: id, level: level, in: database) else { return }
            try Self.logChange(change, internalID: internalID, level: level, date: OrthancTimestamp.now(),
                in: database)
        }
    }

    /// The exports log: at most `limit` entries after `since`.
    package func exports(since: Int64, limit: Int) async throws -> (entries: [ExportRecord], done: Bool, last: Int64) {
        try await read { database in
            let rows = try Row.fetchAll(
                database,
                sql: """
                    SELECT seq, resourceType, publicId, remoteModality, patientId, studyInstanceUid,
                        seriesInstanceUid, sopInstanceUid, date FROM ExportedResources
                    WHERE seq > ? ORDER BY seq LIMIT ?
                    """,
                arguments: [since, limit + 1])
            let entries = rows.prefix(limit).compactMap { row -> ExportRecord? in
                guard let level = ResourceLevel(rawValue: row[1]) else { return nil }
                return ExportRecord(
                    seq: row[0], level: level, id: OrthancID(row[2] as String), remoteModality: row[3],
                    patientID: row[4], studyInstanceUID: row[5], seriesInstanceUID: row[6], sopInstanceUID: row[7],
                    date: row[8])
            }
            let last = try Int64.fetchOne(database, sql: "SELECT MAX(seq) FROM ExportedResources") ?? 0
            return (entries, rows.count <= limit, entries.last?.seq ?? last)
        }
    }

    /// Empties the exports log.
    package func clearExports() async throws {
        try await write { database in try database.execute(sql: "DELETE FROM ExportedResources") }
    }
}
