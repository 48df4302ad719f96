import Persistence

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
    /// The column that orders the log as `/changes` shows it: the row's own sequence number on SQLite, whose
    /// single writer commits in that order; on PostgreSQL the number ``sequenceChanges()`` gives in commit order.
    private static func orderColumn(_ dialect: Dialect) -> String {
        dialect == .postgres ? "c.publicSeq" : "c.seq"
    }

    private static func changeColumns(_ dialect: Dialect) -> String {
        """
        SELECT \(orderColumn(dialect)), c.changeType, c.resourceType, r.publicId, c.date FROM Changes c
        JOIN Resources r ON r.internalId = c.internalId
        """
    }

    /// Numbers, in commit order, the changes of the transactions that have all finished (PostgreSQL only).
    ///
    /// With several writers, the sequence numbers that rows take when they are inserted are not commit order:
    /// a reader that saw number 11 committed could miss number 10, committed later by a slower transaction. A
    /// change becomes visible in `/changes` only once every transaction older than its own has finished (its
    /// transaction ID is below the snapshot's `xmin`); the visible ones get their public number in the order of
    /// their transactions, then of their insertion. Sequencers take turns under an advisory lock, so the numbers
    /// only grow: nothing can be numbered below a number a reader has seen.
    package func sequenceChanges() async throws {
        guard database.dialect == .postgres else { return }
        try await write { database in
            try await database.execute("SELECT pg_advisory_xact_lock(?)", [.integer(Self.changeSequencerLock)])
            try await database.execute(
                """
                UPDATE Changes c SET publicSeq = numbered.base + numbered.position
                FROM (
                    SELECT seq, row_number() OVER (ORDER BY txid, seq) AS position,
                        (SELECT COALESCE(MAX(publicSeq), 0) FROM Changes) AS base
                    FROM Changes
                    WHERE publicSeq IS NULL AND txid < pg_snapshot_xmin(pg_current_snapshot())
                ) numbered
                WHERE c.seq = numbered.seq
                """)
        }
    }

    /// The advisory lock of the change sequencer ("chgseq" in ASCII).
    private static let changeSequencerLock: Int64 = 0x63_68_67_73_65_71

    private static func change(_ row: any SQLRow) -> ChangeRecord? {
        guard let seq = row.integer(at: 0), let change = row.integer(at: 1), let type = row.integer(at: 2),
            let level = ResourceLevel(rawValue: Int(type)), let publicID = row.text(at: 3)
        else { return nil }
        return ChangeRecord(
            seq: seq, change: Int(change), level: level, id: OrthancID(publicID), date: row.text(at: 4) ?? "")
    }

    /// At most `limit` changes after `since`, and whether they reach the end of the log.
    package func changes(since: Int64, limit: Int) async throws -> (changes: [ChangeRecord], done: Bool, last: Int64) {
        try await sequenceChanges()
        return try await read { database in
            var rows: [ChangeRecord] = []
            let order = Self.orderColumn(database.dialect)
            try await database.forEachRow(
                Self.changeColumns(database.dialect) + " WHERE \(order) > ? ORDER BY \(order) LIMIT ?",
                [SQLValue(since), SQLValue(limit + 1)]
            ) { row in
                if let change = Self.change(row) { rows.append(change) }
            }
            let done = rows.count <= limit
            let changes = Array(rows.prefix(limit))
            let last: Int64
            if let final = changes.last {
                last = final.seq
            } else {
                last = try await database.integer("SELECT MAX(\(order)) FROM Changes c") ?? 0
            }
            return (changes, done, last)
        }
    }

    /// The last change, as `?last` gives it.
    package func lastChange() async throws -> (changes: [ChangeRecord], last: Int64) {
        try await sequenceChanges()
        return try await read { database in
            var found: ChangeRecord?
            let order = Self.orderColumn(database.dialect)
            try await database.forEachRow(
                Self.changeColumns(database.dialect) + " WHERE \(order) IS NOT NULL ORDER BY \(order) DESC LIMIT 1"
            ) { row in
                found = Self.change(row)
            }
            guard let found else { return ([], 0) }
            return ([found], found.seq)
        }
    }

    /// Empties the changes log.
    package func clearChanges() async throws {
        try await write { database in try await database.execute("DELETE FROM Changes") }
    }

    /// Logs changes about existing resources (e.g. the resources that became stable) in one write, in order;
    /// resources deleted meanwhile are skipped.
    package func logChanges(_ changes: [(change: ChangeType, id: OrthancID, level: ResourceLevel)]) async throws {
        guard !changes.isEmpty else { return }
        try await write { database in
            let date = OrthancTimestamp.now()
            for entry in changes {
                guard let internalID = try await Self.internalID(of: entry.id, level: entry.level, in: database) else {
                    continue
                }
                try await Self.logChange(
                    entry.change, internalID: internalID, level: entry.level, date: date, in: database)
            }
        }
    }

    /// Logs one change of a resource, in the next group commit; nothing when the resource is gone.
    package func logChange(_ change: ChangeType, id: OrthancID, level: ResourceLevel) async throws {
        try await write { database in
            guard let internalID = try await Self.internalID(of: id, level: level, in: database) else { return }
            try await Self.logChange(
                change, internalID: internalID, level: level, date: OrthancTimestamp.now(),
                in: database)
        }
    }

    /// The exports log: at most `limit` entries after `since`.
    package func exports(since: Int64, limit: Int) async throws -> (entries: [ExportRecord], done: Bool, last: Int64) {
        try await read { database in
            var rows: [ExportRecord] = []
            try await database.forEachRow(
                """
                SELECT seq, resourceType, publicId, remoteModality, patientId, studyInstanceUid,
                    seriesInstanceUid, sopInstanceUid, date FROM ExportedResources
                WHERE seq > ? ORDER BY seq LIMIT ?
                """,
                [SQLValue(since), SQLValue(limit + 1)]
            ) { row in
                guard let seq = row.integer(at: 0), let type = row.integer(at: 1),
                    let level = ResourceLevel(rawValue: Int(type)), let publicID = row.text(at: 2)
                else { return }
                rows.append(
                    ExportRecord(
                        seq: seq, level: level, id: OrthancID(publicID), remoteModality: row.text(at: 3) ?? "",
                        patientID: row.text(at: 4), studyInstanceUID: row.text(at: 5),
                        seriesInstanceUID: row.text(at: 6), sopInstanceUID: row.text(at: 7), date: row.text(at: 8) ?? ""
                    ))
            }
            let entries = Array(rows.prefix(limit))
            let last = try await database.integer("SELECT MAX(seq) FROM ExportedResources") ?? 0
            return (entries, rows.count <= limit, entries.last?.seq ?? last)
        }
    }

    /// Empties the exports log.
    package func clearExports() async throws {
        try await write { database in try await database.execute("DELETE FROM ExportedResources") }
    }
}
