import GRDB
import Persistence

extension ImagingIndex {
    /// The resource with this ID at this level, or nil.
    package func resource(_ id: OrthancID, level: ResourceLevel) async throws -> ResourceSummary? {
        try await read { database in try Self.resource(id, level: level, in: database) }
    }

    /// The resources with these IDs, in the same order, skipping unknown ones.
    package func resources(_ ids: [OrthancID], level: ResourceLevel) async throws -> [ResourceSummary] {
        try await read { database in
            try ids.compactMap { try Self.resource($0, level: level, in: database) }
        }
    }

    static func resource(_ id: OrthancID, level: ResourceLevel, in database: Database) throws -> ResourceSummary? {
        guard
            let row = try Row.fetchOne(
                database.cachedStatement(
                    sql: """
                        SELECT r.internalId, r.resourceType, p.publicId FROM Resources r
                        LEFT JOIN Resources p ON p.internalId = r.parentId WHERE r.publicId = ?
                        """),
                arguments: [id.value])
        else { return nil }
        let internalID: Int64 = row[0]
        let type: Int = row[1]
        guard type == level.rawValue else { return nil }
        let parent: String? = row[2]
        return try summary(internalID: internalID, level: level, id: id, parent: parent.map(OrthancID.init), in: database)
    }

    static func summary(
        internalID: Int64, level: ResourceLevel, id: OrthancID, parent: OrthancID?, in database: Database
    ) throws -> ResourceSummary {
        let children = try String.fetchAll(
            database.cachedStatement(sql: "SELECT publicId FROM Resources WHERE parentId = ? ORDER BY internalId"),
            arguments: [internalID]
        ).map(OrthancID.init)
        var tags: [UInt32: String] = [:]
        let tagRows = try Row.fetchCursor(
            database.cachedStatement(sql: "SELECT tagGroup, tagElement, value FROM MainDicomTags WHERE id = ?"),
            arguments: [internalID])
        while let tagRow = try tagRows.next() {
            let group: Int = tagRow[0]
            let element: Int = tagRow[1]
            tags[UInt32(group) << 16 | UInt32(element)] = tagRow[2] ?? ""
        }
        var metadata: [MetadataType: String] = [:]
        let metadataRows = try Row.fetchCursor(
            database.cachedStatement(sql: "SELECT type, value FROM Metadata WHERE id = ?"), arguments: [internalID])
        while let metadataRow = try metadataRows.next() {
            metadata[MetadataType(rawValue: metadataRow[0])] = metadataRow[1] ?? ""
        }
        let labels = try String.fetchAll(
            database.cachedStatement(sql: "SELECT label FROM Labels WHERE id = ? ORDER BY label"),
            arguments: [internalID])
        var file: AttachmentInfo?
        if level == .instance {
            file = try attachment(of: internalID, fileType: 1, in: database)
        }
        var isProtected = false
        if level == .patient {
            isProtected =
                try Int64.fetchOne(
                    database.cachedStatement(sql: "SELECT seq FROM PatientRecyclingOrder WHERE patientId = ?"),
                    arguments: [internalID]) == nil
        }
        return ResourceSummary(
            internalID: internalID, level: level, id: id, parent: parent, children: children, tags: tags,
            metadata: metadata, labels: labels, file: file, isProtected: isProtected)
    }

    static func attachment(of internalID: Int64, fileType: Int, in database: Database) throws -> AttachmentInfo? {
        guard
            let row = try Row.fetchOne(
                database.cachedStatement(
                    sql: """
                        SELECT uuid, compressedSize, uncompressedSize, compressionType, uncompressedMD5,
                            compressedMD5, revision FROM AttachedFiles WHERE id = ? AND fileType = ?
                        """),
                arguments: [internalID, fileType])
        else { return nil }
        return AttachmentInfo(
            fileType: fileType, uuid: row[0], compressedSize: row[1], uncompressedSize: row[2],
            compressionType: row[3], uncompressedMD5: row[4], compressedMD5: row[5], revision: row[6])
    }

    /// The IDs of the resources of a level, in creation order, after skipping `since` and keeping `limit`.
    package func list(level: ResourceLevel, since: Int, limit: Int) async throws -> [OrthancID] {
        try await read { database in
            try String.fetchAll(
                database,
                sql: "SELECT publicId FROM Resources WHERE resourceType = ? ORDER BY internalId LIMIT ? OFFSET ?",
                arguments: [level.rawValue, limit > 0 ? limit : -1, since]
            ).map(OrthancID.init)
        }
    }

    /// The descendants (or the resource itself) of `id` at `target` level, in creation order.
    package func descendants(of id: OrthancID, level: ResourceLevel, at target: ResourceLevel) async throws
        -> [OrthancID]?
    {
        try await read { database in
            guard let root = try Self.internalID(of: id, level: level, in: database) else { return nil }
            var current = [root]
            var currentLevel = level
            while currentLevel < target, let next = currentLevel.child {
                var children: [Int64] = []
                let statement = try database.cachedStatement(
                    sql: "SELECT internalId FROM Resources WHERE parentId = ? ORDER BY internalId")
                for parent in current {
                    children += try Int64.fetchAll(statement, arguments: [parent])
                }
                current = children
                currentLevel = next
            }
            let publicIDs = try database.cachedStatement(sql: "SELECT publicId FROM Resources WHERE internalId = ?")
            return try current.compactMap { try String.fetchOne(publicIDs, arguments: [$0]).map(OrthancID.init) }
        }
    }

    /// The ancestor of `id` at `target` level.
    package func ancestor(of id: OrthancID, level: ResourceLevel, at target: ResourceLevel) async throws
        -> OrthancID?
    {
        try await read { database in
            guard var current = try Self.internalID(of: id, level: level, in: database) else { return nil }
            var currentLevel = level
            while currentLevel > target, let up = currentLevel.parent {
                guard
                    let parent = try Int64.fetchOne(
                        database.cachedStatement(sql: "SELECT parentId FROM Resources WHERE internalId = ?"),
                        arguments: [current])
                else { return nil }
                current = parent
                currentLevel = up
            }
            return try String.fetchOne(
                database.cachedStatement(sql: "SELECT publicId FROM Resources WHERE internalId = ?"),
                arguments: [current]
            ).map(OrthancID.init)
        }
    }

    static func internalID(of id: OrthancID, level: ResourceLevel, in database: Database) throws -> Int64? {
        try Int64.fetchOne(
            database.cachedStatement(sql: "SELECT internalId FROM Resources WHERE publicId = ? AND resourceType = ?"),
            arguments: [id.value, level.rawValue])
    }

    /// The DICOM file of an instance.
    package func dicomFile(of id: OrthancID) async throws -> AttachmentInfo? {
        try await read { database in
            guard let internalID = try Self.internalID(of: id, level: .instance, in: database) else { return nil }
            return try Self.attachment(of: internalID, fileType: 1, in: database)
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
            guard let internalID = try Self.internalID(of: id, level: level, in: database) else { return nil }
            let files = try Self.files(under: internalID, in: database)
            var parent = try Int64.fetchOne(
                database, sql: "SELECT parentId FROM Resources WHERE internalId = ?", arguments: [internalID])
            try database.execute(sql: "DELETE FROM Resources WHERE internalId = ?", arguments: [internalID])
            var parentLevel = level.parent
            while let current = parent, let currentLevel = parentLevel {
                let remaining = try Int.fetchOne(
                    database, sql: "SELECT COUNT(*) FROM Resources WHERE parentId = ?", arguments: [current]) ?? 0
                if remaining > 0 {
                    let publicID = try String.fetchOne(
                        database, sql: "SELECT publicId FROM Resources WHERE internalId = ?", arguments: [current])
                    return (publicID.map { (currentLevel, OrthancID($0)) }, files)
                }
                parent = try Int64.fetchOne(
                    database, sql: "SELECT parentId FROM Resources WHERE internalId = ?", arguments: [current])
                try database.execute(sql: "DELETE FROM Resources WHERE internalId = ?", arguments: [current])
                parentLevel = currentLevel.parent
            }
            return (nil, files)
        }
    }

    /// Counts and sizes, from the counters kept by triggers.
    package func statistics() async throws -> IndexStatistics {
        try await read { database in
            var values: [Int: Int64] = [:]
            for row in try Row.fetchAll(database, sql: "SELECT key, value FROM GlobalIntegers") {
                values[row[0]] = row[1]
            }
            return IndexStatistics(
                patients: values[2] ?? 0, studies: values[3] ?? 0, series: values[4] ?? 0,
                instances: values[5] ?? 0, compressedSize: values[0] ?? 0, uncompressedSize: values[1] ?? 0)
        }
    }

    /// The resources whose normalized identifier equals the normalized `value`, for `/tools/lookup`.
    package func lookup(_ value: String) async throws -> [(ResourceLevel, OrthancID)] {
        let normalized = IdentifierNormalizer.normalize(value)
        return try await read { database in
            let rows = try Row.fetchAll(
                database,
                sql: """
                    SELECT DISTINCT r.resourceType, r.publicId, r.internalId FROM DicomIdentifiers d
                    JOIN Resources r ON r.internalId = d.id
                    WHERE d.value = ? AND ((d.tagGroup = 16 AND d.tagElement = 32 AND r.resourceType = 1)
                        OR (d.tagGroup = 32 AND d.tagElement = 13) OR (d.tagGroup = 8 AND d.tagElement = 80)
                        OR (d.tagGroup = 32 AND d.tagElement = 14) OR (d.tagGroup = 8 AND d.tagElement = 24))
                    ORDER BY r.resourceType, r.internalId
                    """,
                arguments: [normalized])
            return rows.compactMap { row in
                guard let level = ResourceLevel(rawValue: row[0]) else { return nil }
                return (level, OrthancID(row[1] as String))
            }
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
