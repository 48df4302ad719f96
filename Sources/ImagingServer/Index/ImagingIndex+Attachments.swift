package import Persistence

/// What changing an attachment did: the revision it now has and the file it replaced, if any.
package struct AttachmentUpdate: Sendable, Equatable {
    /// The revision of the attachment after the change (0 when created).
    package let revision: Int
    /// The file that the attachment used before: remove it from the storage area after the commit.
    package let replacedFile: ObsoleteFile?
}

extension ImagingIndex {
    /// Creates or replaces an attachment of a resource, logging `UpdatedAttachment`.
    ///
    /// - Parameters:
    ///   - expected: the `If-Match` revision tag, checked against the current attachment when it exists.
    ///   - requiresRevision: whether replacing an existing attachment needs `expected` (`CheckRevisions`).
    /// - Returns: nil if the resource is unknown.
    /// - Throws: `OrthancError.revision` when `expected` does not name the current attachment, or is missing
    ///   while required.
    package func setAttachment(
        _ file: StoredFile, fileType: Int, of id: OrthancID, level: ResourceLevel, expected: RevisionTag?,
        requiresRevision: Bool
    ) async throws -> AttachmentUpdate? {
        try await write { database in
            guard let internalID = try await Self.internalID(of: id, level: level, in: database) else { return nil }
            let current = try await Self.attachment(of: internalID, fileType: fileType, in: database)
            var revision = 0
            if let current {
                try RevisionTag.check(expected, against: current.revisionTag, required: requiresRevision)
                revision = current.revision + 1
                try await database.execute(
                    "DELETE FROM AttachedFiles WHERE id = ? AND fileType = ?",
                    [SQLValue(internalID), SQLValue(fileType)])
            }
            try await database.execute(
                """
                INSERT INTO AttachedFiles(id, fileType, uuid, compressedSize, uncompressedSize, compressionType,
                    uncompressedMD5, compressedMD5, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    SQLValue(internalID), SQLValue(fileType), SQLValue(file.uuid), SQLValue(file.compressedSize),
                    SQLValue(file.uncompressedSize), SQLValue(file.compression.rawValue),
                    SQLValue(file.uncompressedMD5), SQLValue(file.compressedMD5), SQLValue(revision),
                ])
            try await Self.logChange(
                .updatedAttachment, internalID: internalID, level: level, date: OrthancTimestamp.now(), in: database)
            return AttachmentUpdate(revision: revision, replacedFile: current.map { ObsoleteFile(uuid: $0.uuid) })
        }
    }

    /// Points an attachment at a new encoding of the same content (after `compress` or `uncompress`); the
    /// revision does not change, as the content does not.
    ///
    /// - Returns: the file that the attachment used before, or nil if the resource or attachment is unknown.
    package func reencodeAttachment(_ file: StoredFile, fileType: Int, of id: OrthancID, level: ResourceLevel)
        async throws -> ObsoleteFile?
    {
        try await write { database in
            guard let internalID = try await Self.internalID(of: id, level: level, in: database),
                let current = try await Self.attachment(of: internalID, fileType: fileType, in: database)
            else { return nil }
            try await database.execute(
                """
                UPDATE AttachedFiles SET uuid = ?, compressedSize = ?, compressionType = ?, compressedMD5 = ?
                WHERE id = ? AND fileType = ?
                """,
                [
                    SQLValue(file.uuid), SQLValue(file.compressedSize), SQLValue(file.compression.rawValue),
                    SQLValue(file.compressedMD5), SQLValue(internalID), SQLValue(fileType),
                ])
            // The size triggers only see inserts and deletes.
            try await Self.addToCounter(
                .compressedSize, file.compressedSize - current.compressedSize, in: database)
            return ObsoleteFile(uuid: current.uuid)
        }
    }

    /// Deletes an attachment of a resource, logging `UpdatedAttachment`.
    ///
    /// - Returns: nil if the resource is unknown; `.some(nil)` if it has no such attachment; otherwise the
    ///   file to remove from the storage area after the commit.
    /// - Throws: `OrthancError.revision` as ``setAttachment(_:fileType:of:level:expected:requiresRevision:)``.
    package func deleteAttachment(
        fileType: Int, of id: OrthancID, level: ResourceLevel, expected: RevisionTag?, requiresRevision: Bool
    ) async throws -> ObsoleteFile?? {
        try await write { database -> ObsoleteFile?? in
            guard let internalID = try await Self.internalID(of: id, level: level, in: database) else { return nil }
            guard let current = try await Self.attachment(of: internalID, fileType: fileType, in: database) else {
                return .some(nil)
            }
            try RevisionTag.check(expected, against: current.revisionTag, required: requiresRevision)
            try await database.execute(
                "DELETE FROM AttachedFiles WHERE id = ? AND fileType = ?", [SQLValue(internalID), SQLValue(fileType)])
            try await Self.logChange(
                .updatedAttachment, internalID: internalID, level: level, date: OrthancTimestamp.now(), in: database)
            return .some(ObsoleteFile(uuid: current.uuid))
        }
    }
}
