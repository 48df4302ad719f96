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
        for level in [ResourceLevel.patient, .study, .series] {
            let publicID = ids.id(of: level)
            if let found = try await internalID(of: publicID, in: database) {
                parent = found
            } else {
                let createdID = try await insertResource(
                    level: level, publicID: publicID, parent: parent, tags: record.tags, in: database)
                try await setMetadata(
                    .mainDicomTagsSignature, value: MainDicomTag.signature(of: level), on: createdID, in: database)
                if level == .series {
                    // Orthanc records the sender on the series too, and the expected size from its first instance.
                    try await setMetadata(
                        .remoteAET, value: record.metadata[.remoteAET] ?? "", on: createdID, in: database)
                    if let expected = SeriesStatus.expectedNumberOfInstances(tags: record.tags) {
                        try await setMetadata(
                            .expectedNumberOfInstances, value: String(expected), on: createdID, in: database)
                    }
                }
                created.append((level, createdID))
                newLevels.insert(level)
                parent = createdID
            }
            if level == .patient, let parent { patientInternalID = parent }
            if let parent {
                try await setMetadata(.lastUpdate, value: now, on: parent, in: database)
            }
        }
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
            .mainDicomTagsSignature, value: MainDicomTag.signature(of: .instance), on: instance, in: database)
        for (type, value) in record.metadata {
            try await setMetadata(type, value: value, on: instance, in: database)
        }
        // Orthanc logs the new instance first, then the new series, study and patient.
        try await logChange(.newInstance, internalID: instance, level: .instance, date: now, in: database)
        for (level, id) in created.reversed() {
            try await logChange(
                ChangeType.newPatient.forLevel(level), internalID: id, level: level, date: now,
                in: database)
        }

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
        for tag in MainDicomTag.storedTags(of: level) {
            guard let value = tags[tag.tag] else { continue }
            let key = [SQLValue(id), SQLValue(Int(tag.group)), SQLValue(Int(tag.element))]
            try await database.execute(
                "INSERT INTO MainDicomTags(id, tagGroup, tagElement, value) VALUES (?, ?, ?, ?)",
                key + [SQLValue(value)])
            if tag.isIdentifier {
                try await database.execute(
                    "INSERT INTO DicomIdentifiers(id, tagGroup, tagElement, value) VALUES (?, ?, ?, ?)",
                    key + [SQLValue(IdentifierNormalizer.normalize(value))])
            }
        }
        return id
    }

    static func setMetadata(_ type: MetadataType, value: String, on id: Int64, in database: any Connection) async throws
    {
        try await database.execute(
            """
            INSERT INTO Metadata(id, type, value) VALUES (?, ?, ?)
            ON CONFLICT(id, type) DO UPDATE SET value = excluded.value, revision = Metadata.revision + 1
            """,
            [SQLValue(id), SQLValue(type.rawValue), SQLValue(value)])
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
