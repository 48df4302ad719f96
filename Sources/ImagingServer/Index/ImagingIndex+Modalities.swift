import Persistence

extension ImagingIndex {
    /// The `GlobalProperties` row holding the modalities changed through REST when `DicomModalitiesInDatabase` is
    /// true; 20 is Orthanc's `GlobalProperty_Modalities`.
    static let modalitiesProperty: Int64 = 20

    /// The modalities saved by ``saveModalities(_:)``, with the revision of the change that saved them; nil when
    /// none were ever saved.
    ///
    /// - Throws: `OrthancError.database` when the saved text is not what ``saveModalities(_:)`` writes.
    package func savedModalities() async throws -> ModalityDirectory.Snapshot? {
        let text = try await readOneStatement { database in
            try await database.firstRow(
                "SELECT value FROM GlobalProperties WHERE property = ?", [SQLValue(Self.modalitiesProperty)])?
                .first?.text
        }
        guard let text else { return nil }
        do {
            let document = try JSONValue(parsing: Array(text.utf8))
            guard let revision = document["Revision"]?.intValue, let members = document["Modalities"]?.objectValue
            else { throw OrthancError(.database, "the saved modalities are not readable") }
            return ModalityDirectory.Snapshot(
                modalities: try members.mapValues { try RemoteModality(json: $0) }, revision: revision)
        } catch {
            throw OrthancError(.database, "the saved modalities are not readable")
        }
    }

    /// Saves the modalities after a change, unless a later change was saved first: concurrent requests may reach
    /// the writer out of order, and the newest list must win.
    package func saveModalities(_ snapshot: ModalityDirectory.Snapshot) async throws {
        let document: JSONValue = [
            "Modalities": .object(snapshot.modalities.mapValues(\.json)), "Revision": .int(snapshot.revision),
        ]
        let text = document.serialized(pretty: false)
        let property = Self.modalitiesProperty
        try await write { database in
            if let saved = try await database.firstRow(
                "SELECT value FROM GlobalProperties WHERE property = ?", [SQLValue(property)])?.first?.text,
                let revision = (try? JSONValue(parsing: Array(saved.utf8)))?["Revision"]?.intValue,
                revision > snapshot.revision
            {
                return
            }
            try await database.execute(
                database.dialect.upsert(into: "GlobalProperties", columns: ["value"], key: ["property"]),
                [SQLValue(property), SQLValue(text)])
        }
    }
}
