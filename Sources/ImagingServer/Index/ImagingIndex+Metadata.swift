import Persistence

extension ImagingIndex {
    /// The metadata of a resource (type, value, revision), or nil if the resource is unknown.
    package func metadata(of id: OrthancID, level: ResourceLevel) async throws -> [(MetadataType, String, Int)]? {
        try await read { database in
            guard let internalID = try await Self.internalID(of: id, level: level, in: database) else { return nil }
            var items: [(MetadataType, String, Int)] = []
            try await database.forEachRow(
                "SELECT type, value, revision FROM Metadata WHERE id = ? ORDER BY type", [SQLValue(internalID)]
            ) { row in
                guard let type = row.integer(at: 0) else { return }
                items.append((MetadataType(rawValue: Int(type)), row.text(at: 1) ?? "", Int(row.integer(at: 2) ?? 0)))
            }
            return items
        }
    }

    /// Sets a metadata value, logging `UpdatedMetadata`. Returns false if the resource is unknown.
    package func setMetadata(_ type: MetadataType, value: String, of id: OrthancID, level: ResourceLevel)
        async throws -> Bool
    {
        try await write { database in
            guard let internalID = try await Self.internalID(of: id, level: level, in: database) else { return false }
            try await Self.setMetadata(type, value: value, on: internalID, in: database)
            try await Self.logChange(
                .updatedMetadata, internalID: internalID, level: level, date: OrthancTimestamp.now(),
                in: database)
            return true
        }
    }

    /// Sets a metadata value after checking its revision, logging `UpdatedMetadata`.
    ///
    /// - Parameters:
    ///   - expected: the `If-Match` tag, checked against the current value when there is one.
    ///   - requiresRevision: whether changing an existing value needs `expected` (`CheckRevisions`).
    /// - Returns: the tag of the new value, or nil if the resource is unknown.
    /// - Throws: `OrthancError.revision` when `expected` does not name the current value, or is missing while
    ///   required.
    package func putMetadata(
        _ type: MetadataType, value: String, of id: OrthancID, level: ResourceLevel, expected: RevisionTag?,
        requiresRevision: Bool
    ) async throws -> RevisionTag? {
        try await write { database in
            guard let internalID = try await Self.internalID(of: id, level: level, in: database) else { return nil }
            var revision = 0
            if let current = try await Self.metadataRevision(type, on: internalID, in: database) {
                try RevisionTag.check(expected, against: current, required: requiresRevision)
                revision = current.revision + 1
            }
            try await Self.setMetadata(type, value: value, on: internalID, in: database)
            try await Self.logChange(
                .updatedMetadata, internalID: internalID, level: level, date: OrthancTimestamp.now(),
                in: database)
            return RevisionTag(revision: revision, value: value)
        }
    }

    /// The tag of a stored metadata value, if any.
    static func metadataRevision(_ type: MetadataType, on id: Int64, in database: any Connection) async throws
        -> RevisionTag?
    {
        guard
            let row = try await database.firstRow(
                "SELECT value, revision FROM Metadata WHERE id = ? AND type = ?",
                [SQLValue(id), SQLValue(type.rawValue)])
        else { return nil }
        return RevisionTag(revision: Int(row[1].integer ?? 0), value: row[0].text ?? "")
    }

    /// Deletes a metadata value after checking its revision as ``putMetadata(_:value:of:level:expected:requiresRevision:)``
    /// does. Returns nil if the resource is unknown, false if the value was absent.
    package func deleteMetadata(
        _ type: MetadataType, of id: OrthancID, level: ResourceLevel, expected: RevisionTag? = nil,
        requiresRevision: Bool = false
    ) async throws -> Bool? {
        try await write { database in
            guard let internalID = try await Self.internalID(of: id, level: level, in: database) else { return nil }
            guard let current = try await Self.metadataRevision(type, on: internalID, in: database) else {
                return false
            }
            try RevisionTag.check(expected, against: current, required: requiresRevision)
            let deleted = try await database.execute(
                "DELETE FROM Metadata WHERE id = ? AND type = ?", [SQLValue(internalID), SQLValue(type.rawValue)])
            guard deleted > 0 else { return false }
            try await Self.logChange(
                .updatedMetadata, internalID: internalID, level: level, date: OrthancTimestamp.now(),
                in: database)
            return true
        }
    }

    /// Adds or removes a label. Returns false if the resource is unknown.
    package func setLabel(_ label: String, present: Bool, of id: OrthancID, level: ResourceLevel) async throws
        -> Bool
    {
        try await write { database in
            guard let internalID = try await Self.internalID(of: id, level: level, in: database) else { return false }
            let arguments = [SQLValue(internalID), SQLValue(label)]
            if present {
                try await database.execute(
                    database.dialect.insertIgnoringDuplicates(into: "Labels(id, label)", "VALUES (?, ?)"), arguments)
            } else {
                try await database.execute("DELETE FROM Labels WHERE id = ? AND label = ?", arguments)
            }
            return true
        }
    }

    /// Every label in use, sorted.
    package func allLabels() async throws -> [String] {
        try await read { database in try await database.texts("SELECT DISTINCT label FROM Labels ORDER BY label") }
    }

    /// The attachments of a resource, or nil if the resource is unknown.
    package func attachments(of id: OrthancID, level: ResourceLevel) async throws -> [AttachmentInfo]? {
        try await read { database in
            guard let internalID = try await Self.internalID(of: id, level: level, in: database) else { return nil }
            let types = try await database.integers(
                "SELECT fileType FROM AttachedFiles WHERE id = ? ORDER BY fileType", [SQLValue(internalID)])
            var attachments: [AttachmentInfo] = []
            for type in types {
                if let attachment = try await Self.attachment(of: internalID, fileType: Int(type), in: database) {
                    attachments.append(attachment)
                }
            }
            return attachments
        }
    }

    /// Protects a patient from recycling, or lets it be recycled again. Returns false if unknown.
    package func setProtected(_ isProtected: Bool, patient id: OrthancID) async throws -> Bool {
        try await write { database in
            guard let internalID = try await Self.internalID(of: id, level: .patient, in: database) else {
                return false
            }
            try await database.execute("DELETE FROM PatientRecyclingOrder WHERE patientId = ?", [SQLValue(internalID)])
            if !isProtected {
                try await database.execute(
                    "INSERT INTO PatientRecyclingOrder(patientId) VALUES (?)", [SQLValue(internalID)])
            }
            return true
        }
    }
}
