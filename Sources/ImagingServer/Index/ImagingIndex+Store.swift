import Persistence

/// The limits that trigger recycling (`MaximumStorageSize`, `MaximumPatientCount`, `MaximumStorageMode`).
package struct RecyclingLimits: Sendable {
    package var maximumStorageSize: Int64 = 0
    package var maximumPatientCount: Int = 0
    package var rejectsInsteadOfRecycling = false

    package init(maximumStorageSize: Int64 = 0, maximumPatientCount: Int = 0, rejectsInsteadOfRecycling: Bool = false) {
        self.maximumStorageSize = maximumStorageSize
        self.maximumPatientCount = maximumPatientCount
        self.rejectsInsteadOfRecycling = rejectsInsteadOfRecycling
    }

    var isUnlimited: Bool { maximumStorageSize <= 0 && maximumPatientCount <= 0 }
}

extension ImagingIndex {
    /// Records an instance, creating its patient, study and series as needed, in the next group commit.
    ///
    /// - Parameters:
    ///   - record: the instance, whose file is already in the storage area.
    ///   - overwrite: what to do when the instance is already known.
    ///   - limits: recycling limits checked after the insertion.
    /// - Returns: the status and IDs; the caller removes `obsoleteFiles` and, for `alreadyStored`, its new file.
    /// - Throws: `OrthancError.fullStorage` when the limits cannot be met by recycling.
    package func store(
        _ record: InstanceRecord, overwrite: ImagingConfiguration.OverwriteMode, limits: RecyclingLimits
    ) async throws -> StoreOutcome {
        try await write { database in
            try await Self.store(record, overwrite: overwrite, limits: limits, in: database)
        }
    }

    static func store(
        _ record: InstanceRecord, overwrite: ImagingConfiguration.OverwriteMode, limits: RecyclingLimits,
        in database: any Connection
    ) async throws -> StoreOutcome {
        let ids = record.ids
        let now = OrthancTimestamp.now()
        var obsolete: [ObsoleteFile] = []
        if let existing = try await internalID(of: ids.instance, in: database) {
            let existingMD5 = try await database.text(
                "SELECT uncompressedMD5 FROM AttachedFiles WHERE id = ? AND fileType = 1", [SQLValue(existing)])
            let replace: Bool
            switch overwrite {
            case .never: replace = false
            case .always: replace = true
            case .ifChanged: replace = existingMD5 != record.file.uncompressedMD5
            }
            guard replace else {
                return StoreOutcome(status: .alreadyStored, ids: ids, obsoleteFiles: [], newLevels: [])
            }
            obsolete += try await files(under: existing, in: database)
            try await database.execute("DELETE FROM Resources WHERE internalId = ?", [SQLValue(existing)])
        }

        var newLevels: Set<ResourceLevel> = []
        var parent: Int64?
        var patientInternalID: Int64 = 0
        var created: [(ResourceLevel, Int64)] = []
        var updated: [Int64] = []
        for level in [ResourceLevel.patient, .study, .series] {
            let publicID = ids.id(of: level)
            if let found = try await internalID(of: publicID, in: database) {
                parent = found
            } else {
                let createdID = try await insertResource(
                    level: level, publicID: publicID, parent: parent, tags: record.tags, in: database)
                var metadata = [(MetadataType.mainDicomTagsSignature, MainDicomTag.signature(of: level))]
                if level == .series {
                    // Orthanc records the sender on the series too, and the expected size from its first instance.
                    metadata.append((.remoteAET, record.metadata[.remoteAET] ?? ""))
                    if let expected = SeriesStatus.expectedNumberOfInstances(tags: record.tags) {
                        metadata.append((.expectedNumberOfInstances, String(expected)))
                    }
                }
                try await setMetadata(metadata, on: createdID, in: database)
                created.append((level, createdID))
                newLevels.insert(level)
                parent = createdID
            }
            if level == .patient, let parent { patientInternalID = parent }
            if let parent { updated.append(parent) }
        }
        // The patient, study and series were updated now, in one statement.
        try await insertRows(
            into: "Metadata(id, type, value)",
            updated.map { [SQLValue($0), SQLValue(MetadataType.lastUpdate.rawValue), SQLValue(now)] },
            suffix: metadataUpsert,
            in: database)
        let instance = try await insertResource(
            level: .instance, publicID: ids.instance, parent: parent, tags: record.tags, in: database)
        try await database.execute(
            """
            INSERT INTO AttachedFiles(id, fileType, uuid, compressedSize, uncompressedSize, compressionType,
                uncompressedMD5, compressedMD5) VALUES (?, 1, ?, ?, ?, ?, ?, ?)
            """,
            [
                SQLValue(instance), SQLValue(record.file.uuid), SQLValue(record.file.compressedSize),
                SQLValue(record.file.uncompressedSize), SQLValue(record.file.compression.rawValue),
                SQLValue(record.file.uncompressedMD5), SQLValue(record.file.compressedMD5),
            ])
        try await setMetadata(
            [(.mainDicomTagsSignature, MainDicomTag.signature(of: .instance))]
                + record.metadata.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key, $0.value) },
            on: instance, in: database)
        // Orthanc logs the new instance first, then the new series, study and patient; one statement keeps the
        // order in the sequence numbers.
        let changes =
            [(ChangeType.newInstance, instance, ResourceLevel.instance)]
            + created.reversed().map { (ChangeType.newPatient.forLevel($0.0), $0.1, $0.0) }
        try await insertRows(
            into: "Changes(changeType, internalId, resourceType, date)",
            changes.map { [SQLValue($0.0.rawValue), SQLValue($0.1), SQLValue($0.2.rawValue), SQLValue(now)] },
            in: database)

        // The patient moves to the end of the recycling order, unless protected (absent from the order).
        if newLevels.contains(.patient) {
            try await database.execute(
                "INSERT INTO PatientRecyclingOrder(patientId) VALUES (?)", [SQLValue(patientInternalID)])
        } else {
            let recycled = try await database.integer(
                "SELECT seq FROM PatientRecyclingOrder WHERE patientId = ?", [SQLValue(patientInternalID)])
            if recycled != nil {
                try await database.execute(
                    "DELETE FROM PatientRecyclingOrder WHERE patientId = ?", [SQLValue(patientInternalID)])
                try await database.execute(
                    "INSERT INTO PatientRecyclingOrder(patientId) VALUES (?)", [SQLValue(patientInternalID)])
            }
        }
        if !limits.isUnlimited {
            obsolete += try await recycle(limits: limits, keeping: patientInternalID, in: database)
        }
        return StoreOutcome(status: .success, ids: ids, obsoleteFiles: obsolete, newLevels: newLevels)
    }

    /// Deletes the oldest unprotected patients until the limits hold.
    private static func recycle(limits: RecyclingLimits, keeping patient: Int64, in database: any Connection)
        async throws
        -> [ObsoleteFile]
    {
        var obsolete: [ObsoleteFile] = []
        while true {
            let patients = Int(try await database.integer("SELECT value FROM GlobalIntegers WHERE key = 2") ?? 0)
            let size = try await database.integer("SELECT value FROM GlobalIntegers WHERE key = 0") ?? 0
            let tooMany = limits.maximumPatientCount > 0 && patients > limits.maximumPatientCount
            let tooLarge = limits.maximumStorageSize > 0 && size > limits.maximumStorageSize
            guard tooMany || tooLarge else { return obsolete }
            guard !limits.rejectsInsteadOfRecycling else {
                throw OrthancError(.fullStorage, "the maximum storage size or patient count is reached")
            }
            guard
                let victim = try await database.integer(
                    "SELECT patientId FROM PatientRecyclingOrder WHERE patientId != ? ORDER BY seq LIMIT 1",
                    [SQLValue(patient)])
            else {
                throw OrthancError(.fullStorage, "no patient can be recycled")
            }
            obsolete += try await files(under: victim, in: database)
            try await database.execute("DELETE FROM Resources WHERE internalId = ?", [SQLValue(victim)])
        }
    }

    // MARK: - Building blocks

    static func internalID(of publicID: OrthancID, in database: any Connection) async throws -> Int64? {
        try await database.integer("SELECT internalId FROM Resources WHERE publicId = ?", [SQLValue(publicID.value)])
    }

    private static func insertResource(
        level: ResourceLevel, publicID: OrthancID, parent: Int64?, tags: [UInt32: String], in database: any Connection
    ) async throws -> Int64 {
        guard
            let id = try await database.integer(
                "INSERT INTO Resources(resourceType, publicId, parentId) VALUES (?, ?, ?) RETURNING internalId",
                [SQLValue(level.rawValue), SQLValue(publicID.value), parent.map { SQLValue($0) } ?? .null])
        else { throw PersistenceError(.corruptedRecord, "the inserted resource has no internal ID") }
        // One statement per table for all the level's tags: each statement is a round trip on PostgreSQL.
        var tagRows: [[SQLValue]] = []
        var identifierRows: [[SQLValue]] = []
        for tag in MainDicomTag.storedTags(of: level) {
            guard let value = tags[tag.tag] else { continue }
            let key = [SQLValue(id), SQLValue(Int(tag.group)), SQLValue(Int(tag.element))]
            tagRows.append(key + [SQLValue(value)])
            if tag.isIdentifier { identifierRows.append(key + [SQLValue(IdentifierNormalizer.normalize(value))]) }
        }
        try await insertRows(into: "MainDicomTags(id, tagGroup, tagElement, value)", tagRows, in: database)
        try await insertRows(into: "DicomIdentifiers(id, tagGroup, tagElement, value)", identifierRows, in: database)
        return id
    }

    /// What makes an insert into `Metadata` replace the value of a type already set, counting a revision.
    private static let metadataUpsert =
        " ON CONFLICT(id, type) DO UPDATE SET value = excluded.value, revision = Metadata.revision + 1"

    /// Inserts `rows` (each with one value per column) with one multi-row `INSERT`; nothing when there are none.
    private static func insertRows(
        into table: String, _ rows: [[SQLValue]], suffix: String = "", in database: any Connection
    ) async throws {
        guard let width = rows.first?.count else { return }
        let row = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        try await database.execute(
            "INSERT INTO \(table) VALUES " + Array(repeating: row, count: rows.count).joined(separator: ", ") + suffix,
            rows.flatMap { $0 })
    }

    static func setMetadata(_ type: MetadataType, value: String, on id: Int64, in database: any Connection) async throws
    {
        try await setMetadata([(type, value)], on: id, in: database)
    }

    /// Sets several metadata of one resource in one statement; a type given twice keeps its last value.
    static func setMetadata(
        _ items: [(MetadataType, String)], on id: Int64, in database: any Connection
    ) async throws {
        var values: [MetadataType: String] = [:]
        var order: [MetadataType] = []
        for (type, value) in items {
            if values.updateValue(value, forKey: type) == nil { order.append(type) }
        }
        try await insertRows(
            into: "Metadata(id, type, value)",
            order.map { [SQLValue(id), SQLValue($0.rawValue), SQLValue(values[$0] ?? "")] },
            suffix: metadataUpsert,
            in: database)
    }

    static func logChange(
        _ change: ChangeType, internalID: Int64, level: ResourceLevel, date: String, in database: any Connection
    ) async throws {
        try await database.execute(
            "INSERT INTO Changes(changeType, internalId, resourceType, date) VALUES (?, ?, ?, ?)",
            [SQLValue(change.rawValue), SQLValue(internalID), SQLValue(level.rawValue), SQLValue(date)])
    }

    /// The files attached to a resource and to everything below it.
    static func files(under id: Int64, in database: any Connection) async throws -> [ObsoleteFile] {
        try await database.texts(
            """
            WITH RECURSIVE subtree(id) AS (
                SELECT CAST(? AS BIGINT) UNION ALL SELECT r.internalId FROM Resources r JOIN subtree s ON r.parentId = s.id)
            SELECT uuid FROM AttachedFiles WHERE id IN (SELECT id FROM subtree)
            """,
            [SQLValue(id)]
        ).map { ObsoleteFile(uuid: $0) }
    }
}

extension ChangeType {
    /// The `New…` change of a level.
    fileprivate func forLevel(_ level: ResourceLevel) -> ChangeType {
        switch level {
        case .patient: .newPatient
        case .study: .newStudy
        case .series: .newSeries
        case .instance: .newInstance
        }
    }
}
