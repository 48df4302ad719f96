import Persistence

extension ImagingIndex {
    /// The resource with this ID at this level, or nil.
    ///
    /// - Parameter computing: the computed tags to evaluate (those of another level are left out).
    package func resource(_ id: OrthancID, level: ResourceLevel, computing: [ComputedTag] = []) async throws
        -> ResourceSummary?
    {
        try await read { database in
            guard let summary = try await Self.resource(id, level: level, in: database) else { return nil }
            return try await Self.computing(computing, for: summary, in: database)
        }
    }

    /// The resources with these IDs, in the same order, skipping unknown ones.
    ///
    /// - Parameter computing: the computed tags to evaluate (those of another level are left out).
    package func resources(_ ids: [OrthancID], level: ResourceLevel, computing: [ComputedTag] = []) async throws
        -> [ResourceSummary]
    {
        try await read { database in
            var summaries: [ResourceSummary] = []
            for id in ids {
                guard let summary = try await Self.resource(id, level: level, in: database) else { continue }
                summaries.append(try await Self.computing(computing, for: summary, in: database))
            }
            return summaries
        }
    }

    /// A summary with the computed tags of its level evaluated in SQL.
    static func computing(_ tags: [ComputedTag], for summary: ResourceSummary, in database: any Connection) async throws
        -> ResourceSummary
    {
        var summary = summary
        for tag in tags where tag.level == summary.level && summary.computedTags[tag] == nil {
            summary.computedTags[tag] = try await computedValue(tag, of: summary.internalID, in: database)
        }
        return summary
    }

    /// The value of a computed tag for one resource: a count, or the distinct values joined with `\`.
    static func computedValue(_ tag: ComputedTag, of internalID: Int64, in database: any Connection) async throws
        -> String
    {
        var values: [String] = []
        try await database.forEachRow(tag.sql, [SQLValue(internalID)]) { row in
            if let count = row.integer(at: 0) {
                values.append(String(count))
            } else if let text = row.text(at: 0) {
                values.append(text)
            }
        }
        return values.joined(separator: "\\")
    }

    static func resource(_ id: OrthancID, level: ResourceLevel, in database: any Connection) async throws
        -> ResourceSummary?
    {
        guard
            let row = try await database.firstRow(
                """
                SELECT r.internalId, r.resourceType, p.publicId FROM Resources r
                LEFT JOIN Resources p ON p.internalId = r.parentId WHERE r.publicId = ?
                """,
                [SQLValue(id.value)]),
            let internalID = row[0].integer, row[1].integer == Int64(level.rawValue)
        else { return nil }
        return try await summary(
            internalID: internalID, level: level, id: id, parent: row[2].text.map(OrthancID.init), in: database)
    }

    static func summary(
        internalID: Int64, level: ResourceLevel, id: OrthancID, parent: OrthancID?, in database: any Connection
    ) async throws -> ResourceSummary {
        let key = [SQLValue(internalID)]
        let children = try await database.texts(
            "SELECT publicId FROM Resources WHERE parentId = ? ORDER BY internalId", key
        ).map(OrthancID.init)
        let tags = try await mainTags(of: internalID, in: database)
        var metadata: [MetadataType: String] = [:]
        try await database.forEachRow("SELECT type, value FROM Metadata WHERE id = ?", key) { row in
            if let type = row.integer(at: 0) { metadata[MetadataType(rawValue: Int(type))] = row.text(at: 1) ?? "" }
        }
        let labels = try await database.texts("SELECT label FROM Labels WHERE id = ? ORDER BY label", key)
        var file: AttachmentInfo?
        if level == .instance {
            file = try await attachment(of: internalID, fileType: 1, in: database)
        }
        var isProtected = false
        if level == .patient {
            isProtected =
                try await database.integer("SELECT seq FROM PatientRecyclingOrder WHERE patientId = ?", key) == nil
        }
        var summary = ResourceSummary(
            internalID: internalID, level: level, id: id, parent: parent, children: children, tags: tags,
            metadata: metadata, labels: labels, file: file, isProtected: isProtected)
        if level == .study {
            summary.modalitiesInStudy = try await studyModalities(of: internalID, in: database)
        }
        if level == .series {
            summary.indicesInSeries = try await database.texts(
                """
                SELECT m.value FROM Resources i JOIN Metadata m ON m.id = i.internalId
                WHERE i.parentId = ? AND m.type = ?
                """,
                [SQLValue(internalID), SQLValue(MetadataType.indexInSeries.rawValue)])
        }
        return summary
    }

    /// The stored main tags of a resource, by tag number.
    static func mainTags(of internalID: Int64, in database: any Connection) async throws -> [UInt32: String] {
        var tags: [UInt32: String] = [:]
        try await database.forEachRow(
            "SELECT tagGroup, tagElement, value FROM MainDicomTags WHERE id = ?", [SQLValue(internalID)]
        ) { row in
            guard let group = row.integer(at: 0), let element = row.integer(at: 1) else { return }
            tags[UInt32(truncatingIfNeeded: group) << 16 | UInt32(truncatingIfNeeded: element)] = row.text(at: 2) ?? ""
        }
        return tags
    }

    static func attachment(of internalID: Int64, fileType: Int, in database: any Connection) async throws
        -> AttachmentInfo?
    {
        try await database.firstRow(attachmentSQL, [SQLValue(internalID), SQLValue(fileType)])
            .flatMap { attachment(from: $0, fileType: fileType) }
    }

    private static let attachmentSQL =
        "SELECT \(attachmentColumns(of: "AttachedFiles")) FROM AttachedFiles WHERE id = ? AND fileType = ?"

    /// The DICOM file of an instance by its Orthanc ID, in one statement.
    private static let dicomFileSQL = """
        SELECT \(attachmentColumns(of: "a"))
        FROM Resources r JOIN AttachedFiles a ON a.id = r.internalId AND a.fileType = 1
        WHERE r.publicId = ? AND r.resourceType = ?
        """

    /// The columns ``attachment(from:fileType:)`` reads, of the `AttachedFiles` table named `table` in the query.
    static func attachmentColumns(of table: String) -> String {
        [
            "uuid", "compressedSize", "uncompressedSize", "compressionType", "uncompressedMD5", "compressedMD5",
            "revision",
        ]
        .map { "\(table).\($0)" }.joined(separator: ", ")
    }

    /// An attachment from a row of ``attachmentColumns(of:)``.
    static func attachment(from row: [SQLValue], fileType: Int) -> AttachmentInfo? {
        guard let uuid = row[0].text else { return nil }
        return AttachmentInfo(
            fileType: fileType, uuid: uuid, compressedSize: row[1].integer ?? 0, uncompressedSize: row[2].integer ?? 0,
            compressionType: Int(row[3].integer ?? 1), uncompressedMD5: row[4].text, compressedMD5: row[5].text,
            revision: Int(row[6].integer ?? 0))
    }

    /// The IDs of the resources of a level, in creation order, after skipping `since` and keeping `limit`.
    package func list(level: ResourceLevel, since: Int, limit: Int) async throws -> [OrthancID] {
        try await read { database in
            try await database.texts(
                "SELECT publicId FROM Resources WHERE resourceType = ? ORDER BY internalId LIMIT ? OFFSET ?",
                [SQLValue(level.rawValue), limit > 0 ? SQLValue(limit) : database.dialect.noLimit, SQLValue(since)]
            ).map(OrthancID.init)
        }
    }

    /// The descendants of `id` at `target` level, in creation order; nil if `id` is unknown at `level`.
    package func descendants(of id: OrthancID, level: ResourceLevel, at target: ResourceLevel) async throws
        -> [OrthancID]?
    {
        try await read { database in
            guard let root = try await Self.internalID(of: id, level: level, in: database) else { return nil }
            var current = [root]
            var currentLevel = level
            while currentLevel < target, let next = currentLevel.child {
                var children: [Int64] = []
                for parent in current {
                    children += try await database.integers(
                        "SELECT internalId FROM Resources WHERE parentId = ? ORDER BY internalId", [SQLValue(parent)])
                }
                current = children
                currentLevel = next
            }
            var ids: [OrthancID] = []
            for internalID in current {
                if let id = try await database.text(
                    "SELECT publicId FROM Resources WHERE internalId = ?", [SQLValue(internalID)])
                {
                    ids.append(OrthancID(id))
                }
            }
            return ids
        }
    }

    /// The ancestor of `id` at `target` level.
    package func ancestor(of id: OrthancID, level: ResourceLevel, at target: ResourceLevel) async throws
        -> OrthancID?
    {
        try await read { database in
            guard var current = try await Self.internalID(of: id, level: level, in: database) else { return nil }
            var currentLevel = level
            while currentLevel > target, let up = currentLevel.parent {
                guard
                    let parent = try await database.integer(
                        "SELECT parentId FROM Resources WHERE internalId = ?", [SQLValue(current)])
                else { return nil }
                current = parent
                currentLevel = up
            }
            return try await database.text("SELECT publicId FROM Resources WHERE internalId = ?", [SQLValue(current)])
                .map(OrthancID.init)
        }
    }

    static func internalID(of id: OrthancID, level: ResourceLevel, in database: any Connection) async throws -> Int64? {
        try await database.integer(
            "SELECT internalId FROM Resources WHERE publicId = ? AND resourceType = ?",
            [SQLValue(id.value), SQLValue(level.rawValue)])
    }

    /// Whether the index holds the instance.
    package func contains(instance id: OrthancID) async throws -> Bool {
        try await read { database in try await Self.internalID(of: id, level: .instance, in: database) != nil }
    }

    /// The DICOM file of an instance: one statement, the hottest read of the server (`GET …/file`, `/tags`).
    package func dicomFile(of id: OrthancID) async throws -> AttachmentInfo? {
        try await readOneStatement { database in
            try await database.firstRow(
                Self.dicomFileSQL, [SQLValue(id.value), SQLValue(ResourceLevel.instance.rawValue)]
            )
            .flatMap { Self.attachment(from: $0, fileType: 1) }
        }
    }

    /// Deletes a resource and its descendants, then the ancestors left without children.
    ///
    /// - Returns: nil when the resource is unknown; otherwise the closest remaining ancestor and the files to
    ///   remove from the storage area.
    package func delete(_ id: OrthancID, level: ResourceLevel) async throws
        -> (remainingAncestor: (ResourceLevel, OrthancID)?, files: [ObsoleteFile])?
    {
        try await write { database in
            guard let internalID = try await Self.internalID(of: id, level: level, in: database) else { return nil }
            let files = try await Self.files(under: internalID, in: database)
            var parent = try await database.integer(
                "SELECT parentId FROM Resources WHERE internalId = ?", [SQLValue(internalID)])
            try await database.execute("DELETE FROM Resources WHERE internalId = ?", [SQLValue(internalID)])
            var parentLevel = level.parent
            while let current = parent, let currentLevel = parentLevel {
                let remaining =
                    try await database.integer(
                        "SELECT COUNT(*) FROM Resources WHERE parentId = ?", [SQLValue(current)]) ?? 0
                if remaining > 0 {
                    let publicID = try await database.text(
                        "SELECT publicId FROM Resources WHERE internalId = ?", [SQLValue(current)])
                    return (publicID.map { (currentLevel, OrthancID($0)) }, files)
                }
                parent = try await database.integer(
                    "SELECT parentId FROM Resources WHERE internalId = ?", [SQLValue(current)])
                try await database.execute("DELETE FROM Resources WHERE internalId = ?", [SQLValue(current)])
                parentLevel = currentLevel.parent
            }
            return (nil, files)
        }
    }

    /// Counts and sizes, from the counters kept by triggers.
    package func statistics() async throws -> IndexStatistics {
        try await read { database in
            var values: [Int64: Int64] = [:]
            try await database.forEachRow("SELECT key, value FROM GlobalIntegers") { row in
                if let key = row.integer(at: 0) { values[key] = row.integer(at: 1) ?? 0 }
            }
            return IndexStatistics(
                patients: values[2] ?? 0, studies: values[3] ?? 0, series: values[4] ?? 0,
                instances: values[5] ?? 0, compressedSize: values[0] ?? 0, uncompressedSize: values[1] ?? 0)
        }
    }

    /// The resources whose normalized identifier equals the normalized `value`, for `/tools/lookup`: PatientID
    /// (patients), StudyInstanceUID, AccessionNumber, SeriesInstanceUID and SOPInstanceUID.
    package func lookup(_ value: String) async throws -> [(ResourceLevel, OrthancID)] {
        let normalized = IdentifierNormalizer.normalize(value)
        return try await read { database in
            var found: [(ResourceLevel, OrthancID)] = []
            try await database.forEachRow(
                """
                SELECT DISTINCT r.resourceType, r.publicId, r.internalId FROM DicomIdentifiers d
                JOIN Resources r ON r.internalId = d.id
                WHERE d.value = ? AND ((d.tagGroup = 16 AND d.tagElement = 32 AND r.resourceType = 1)
                    OR (d.tagGroup = 32 AND d.tagElement = 13) OR (d.tagGroup = 8 AND d.tagElement = 80)
                    OR (d.tagGroup = 32 AND d.tagElement = 14) OR (d.tagGroup = 8 AND d.tagElement = 24))
                ORDER BY r.resourceType, r.internalId
                """,
                [SQLValue(normalized)]
            ) { row in
                guard let type = row.integer(at: 0), let level = ResourceLevel(rawValue: Int(type)),
                    let publicID = row.text(at: 1)
                else { return }
                found.append((level, OrthancID(publicID)))
            }
            return found
        }
    }
}

/// The counters behind `/statistics`.
package struct IndexStatistics: Sendable, Equatable {
    package let patients: Int64
    package let studies: Int64
    package let series: Int64
    package let instances: Int64
    package let compressedSize: Int64
    package let uncompressedSize: Int64
}
