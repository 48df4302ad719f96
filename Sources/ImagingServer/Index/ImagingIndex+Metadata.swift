import GRDB

extension ImagingIndex {
    /// The metadata of a resource, or nil if the resource is unknown.
    package func metadata(of id: OrthancID, level: ResourceLevel) async throws -> [(MetadataType, String, Int)]? {
        try await read { database in
            guard let internalID = try Self.internalID(of: id, level: level, in: database) else { return nil }
            return try Row.fetchAll(
                database, sql: "SELECT type, value, revision FROM Metadata WHERE id = ? ORDER BY type",
                arguments: [internalID]
            ).map { (MetadataType(rawValue: $0[0]), $0[1] ?? "", $0[2]) }
        }
    }

    /// Sets a metadata value, logging `UpdatedMetadata`. Returns false if the resource is unknown.
    package func setMetadata(_ type: MetadataType, value: String, of id: OrthancID, level: ResourceLevel)
        async throws -> Bool
    {
        try await write { database in
            guard let internalID = try Self.internalID(of: id, level: level, in: database) else { return false }
            try Self.setMetadata(type, value: value, on: internalID, in: database)
            try Self.logChange(.updatedMetadata, internalID: internalID, level: level, date: OrthancTimestamp.now(),
                in: database)
            return true
        }
    }

    /// Deletes a metadata value. Returns nil if the resource is unknown, false if the value was absent.
    package func deleteMetadata(_ type: MetadataType, of id: OrthancID, level: ResourceLevel) async throws -> Bool? {
        try await write { database in
            guard let internalID = try Self.internalID(of: id, level: level, in: database) else { return nil }
            try database.execute(
                sql: "DELETE FROM Metadata WHERE id = ? AND type = ?", arguments: [internalID, type.rawValue])
            guard database.changesCount > 0 else { return false }
            try Self.logChange(.updatedMetadata, internalID: internalID, level: level, date: OrthancTimestamp.now(),
                in: database)
            return true
        }
    }

    /// Adds or removes a label. Returns false if the resource is unknown.
    package func setLabel(_ label: String, present: Bool, of id: OrthancID, level: ResourceLevel) async throws
        -> Bool
    {
        try await write { database in
            guard let internalID = try Self.internalID(of: id, level: level, in: database) else { return false }
            if present {
                try database.execute(
                    sql: "INSERT OR IGNORE INTO Labels(id, label) VALUES (?, ?)", arguments: [internalID, label])
            } else {
                try database.execute(
                    sql: "DELETE FROM Labels WHERE id = ? AND label = ?", arguments: [internalID, label])
            }
            return true
        }
    }

    /// Every label in use, sorted.
    package func allLabels() async throws -> [String] {
        try await read { database in
            try String.fetchAll(database, sql: "SELECT DISTINCT label FROM Labels ORDER BY label")
        }
    }

    /// The attachments of a resource, or nil if the resource is unknown.
    package func attachments(of id: OrthancID, level: ResourceLevel) async throws -> [AttachmentInfo]? {
        try await read { database in
            guard let internalID = try Self.internalID(of: id, level: level, in: database) else { return nil }
            let types = try Int.fetchAll(
                database, sql: "SELECT fileType FROM AttachedFiles WHERE id = ? ORDER BY fileType",
                arguments: [internalID])
            return try types.compactMap { try Self.attachment(of: internalID, fileType: $0, in: database) }
        }
    }

    /// Protects a patient from recycling, or lets it be recycled again. Returns false if unknown.
    package func setProtected(_ isProtected: Bool, patient id: OrthancID) async throws -> Bool {
        try await write { database in
            guard let internalID = try Self.internalID(of: id, level: .patient, in: database) else { return false }
            try database.execute(sql: "DELETE FROM PatientRecyclingOrder WHERE patientId = ?", arguments: [internalID])
            if !isProtected {
                try database.execute(
                    sql: "INSERT INTO PatientRecyclingOrder(patientId) VALUES (?)", arguments: [internalID])
            }
            return true
        }
    }
}
