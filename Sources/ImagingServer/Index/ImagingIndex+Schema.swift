import Persistence

extension ImagingIndex {
    /// Keys of `GlobalIntegers`: the total sizes, then one count per level.
    enum GlobalInteger: Int {
        case compressedSize = 0
        case uncompressedSize = 1
        // 2 to 5: resource counts, at 1 + ResourceLevel.rawValue.
    }

    /// The schema of a SQLite index file, as migrations. The tables follow the layout of Orthanc's SQLite index (schema 6) so that
    /// the same concepts keep the same names; Atrium adds no column that Orthanc lacks except where noted.
    static let migrations: [Migration] = [
        Migration(
            "imaging-v1",
            sql: """
                CREATE TABLE GlobalProperties(property INTEGER PRIMARY KEY, value TEXT);
                CREATE TABLE Resources(
                    internalId INTEGER PRIMARY KEY AUTOINCREMENT,
                    resourceType INTEGER NOT NULL,
                    publicId TEXT NOT NULL,
                    parentId INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE);
                CREATE UNIQUE INDEX PublicIndex ON Resources(publicId);
                CREATE INDEX ChildrenIndex ON Resources(parentId);
                CREATE INDEX ResourceTypeIndex ON Resources(resourceType);
                CREATE TABLE MainDicomTags(
                    id INTEGER NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    tagGroup INTEGER NOT NULL, tagElement INTEGER NOT NULL, value TEXT,
                    PRIMARY KEY(id, tagGroup, tagElement)) WITHOUT ROWID;
                CREATE TABLE DicomIdentifiers(
                    id INTEGER NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    tagGroup INTEGER NOT NULL, tagElement INTEGER NOT NULL, value TEXT,
                    PRIMARY KEY(id, tagGroup, tagElement)) WITHOUT ROWID;
                CREATE INDEX DicomIdentifiersIndexValues ON DicomIdentifiers(tagGroup, tagElement, value);
                CREATE TABLE Metadata(
                    id INTEGER NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    type INTEGER NOT NULL, value TEXT, revision INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY(id, type)) WITHOUT ROWID;
                CREATE TABLE AttachedFiles(
                    id INTEGER NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    fileType INTEGER NOT NULL, uuid TEXT NOT NULL, compressedSize INTEGER NOT NULL,
                    uncompressedSize INTEGER NOT NULL, compressionType INTEGER NOT NULL,
                    uncompressedMD5 TEXT, compressedMD5 TEXT, revision INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY(id, fileType)) WITHOUT ROWID;
                CREATE TABLE Changes(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, changeType INTEGER NOT NULL,
                    internalId INTEGER NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    resourceType INTEGER NOT NULL, date TEXT NOT NULL);
                CREATE INDEX ChangesIndex ON Changes(internalId);
                CREATE TABLE ExportedResources(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, resourceType INTEGER NOT NULL,
                    publicId TEXT NOT NULL, remoteModality TEXT NOT NULL, patientId TEXT,
                    studyInstanceUid TEXT, seriesInstanceUid TEXT, sopInstanceUid TEXT, date TEXT NOT NULL);
                CREATE TABLE PatientRecyclingOrder(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    patientId INTEGER NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE);
                CREATE INDEX PatientRecyclingIndex ON PatientRecyclingOrder(patientId);
                CREATE TABLE Labels(
                    id INTEGER NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    label TEXT NOT NULL, PRIMARY KEY(id, label)) WITHOUT ROWID;
                CREATE INDEX LabelsIndex ON Labels(label);
                CREATE TABLE GlobalIntegers(key INTEGER PRIMARY KEY, value INTEGER NOT NULL);
                INSERT INTO GlobalIntegers VALUES (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0);
                CREATE TRIGGER AttachedFileIncrementSize AFTER INSERT ON AttachedFiles BEGIN
                    UPDATE GlobalIntegers SET value = value + new.compressedSize WHERE key = 0;
                    UPDATE GlobalIntegers SET value = value + new.uncompressedSize WHERE key = 1;
                END;
                CREATE TRIGGER AttachedFileDecrementSize AFTER DELETE ON AttachedFiles BEGIN
                    UPDATE GlobalIntegers SET value = value - old.compressedSize WHERE key = 0;
                    UPDATE GlobalIntegers SET value = value - old.uncompressedSize WHERE key = 1;
                END;
                CREATE TRIGGER ResourceCountIncrement AFTER INSERT ON Resources BEGIN
                    UPDATE GlobalIntegers SET value = value + 1 WHERE key = 1 + new.resourceType;
                END;
                CREATE TRIGGER ResourceCountDecrement AFTER DELETE ON Resources BEGIN
                    UPDATE GlobalIntegers SET value = value - 1 WHERE key = 1 + old.resourceType;
                END;
                """)
    ]

    /// The schema on PostgreSQL: the same tables and columns as on SQLite, with PostgreSQL's types.
    ///
    /// The counters are kept without a hot row: the triggers append signed deltas to `GlobalIntegerDeltas`
    /// (inserts never conflict, so concurrent ingests, from one node or several, never wait on each other),
    /// and `GlobalIntegers` is the view that sums them; ``compactCounters()`` folds the deltas from time to time.
    static let postgresMigrations: [SchemaMigration] = [
        SchemaMigration(
            "imaging-v1",
            script: """
                CREATE TABLE GlobalProperties(property BIGINT PRIMARY KEY, value TEXT);
                CREATE TABLE Resources(
                    internalId BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    resourceType BIGINT NOT NULL,
                    publicId TEXT NOT NULL,
                    parentId BIGINT REFERENCES Resources(internalId) ON DELETE CASCADE);
                CREATE UNIQUE INDEX PublicIndex ON Resources(publicId);
                CREATE INDEX ChildrenIndex ON Resources(parentId);
                CREATE INDEX ResourceTypeIndex ON Resources(resourceType);
                CREATE TABLE MainDicomTags(
                    id BIGINT NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    tagGroup BIGINT NOT NULL, tagElement BIGINT NOT NULL, value TEXT,
                    PRIMARY KEY(id, tagGroup, tagElement));
                CREATE TABLE DicomIdentifiers(
                    id BIGINT NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    tagGroup BIGINT NOT NULL, tagElement BIGINT NOT NULL, value TEXT,
                    PRIMARY KEY(id, tagGroup, tagElement));
                CREATE INDEX DicomIdentifiersIndexValues ON DicomIdentifiers(tagGroup, tagElement, value);
                CREATE TABLE Metadata(
                    id BIGINT NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    type BIGINT NOT NULL, value TEXT, revision BIGINT NOT NULL DEFAULT 0,
                    PRIMARY KEY(id, type));
                CREATE TABLE AttachedFiles(
                    id BIGINT NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    fileType BIGINT NOT NULL, uuid TEXT NOT NULL, compressedSize BIGINT NOT NULL,
                    uncompressedSize BIGINT NOT NULL, compressionType BIGINT NOT NULL,
                    uncompressedMD5 TEXT, compressedMD5 TEXT, revision BIGINT NOT NULL DEFAULT 0,
                    PRIMARY KEY(id, fileType));
                CREATE TABLE Changes(
                    seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, changeType BIGINT NOT NULL,
                    internalId BIGINT NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    resourceType BIGINT NOT NULL, date TEXT NOT NULL);
                CREATE INDEX ChangesIndex ON Changes(internalId);
                CREATE TABLE ExportedResources(
                    seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, resourceType BIGINT NOT NULL,
                    publicId TEXT NOT NULL, remoteModality TEXT NOT NULL, patientId TEXT,
                    studyInstanceUid TEXT, seriesInstanceUid TEXT, sopInstanceUid TEXT, date TEXT NOT NULL);
                CREATE TABLE PatientRecyclingOrder(
                    seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    patientId BIGINT NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE);
                CREATE INDEX PatientRecyclingIndex ON PatientRecyclingOrder(patientId);
                CREATE TABLE Labels(
                    id BIGINT NOT NULL REFERENCES Resources(internalId) ON DELETE CASCADE,
                    label TEXT NOT NULL, PRIMARY KEY(id, label));
                CREATE INDEX LabelsIndex ON Labels(label);
                CREATE TABLE GlobalIntegerDeltas(key BIGINT NOT NULL, value BIGINT NOT NULL);
                INSERT INTO GlobalIntegerDeltas VALUES (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0);
                CREATE VIEW GlobalIntegers AS
                    SELECT key, CAST(SUM(value) AS BIGINT) AS value FROM GlobalIntegerDeltas GROUP BY key;
                CREATE FUNCTION AttachedFileIncrementSize() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO GlobalIntegerDeltas VALUES (0, NEW.compressedSize), (1, NEW.uncompressedSize);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER AttachedFileIncrementSize AFTER INSERT ON AttachedFiles
                    FOR EACH ROW EXECUTE FUNCTION AttachedFileIncrementSize();
                CREATE FUNCTION AttachedFileDecrementSize() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO GlobalIntegerDeltas VALUES (0, -OLD.compressedSize), (1, -OLD.uncompressedSize);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER AttachedFileDecrementSize AFTER DELETE ON AttachedFiles
                    FOR EACH ROW EXECUTE FUNCTION AttachedFileDecrementSize();
                CREATE FUNCTION ResourceCountIncrement() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO GlobalIntegerDeltas VALUES (1 + NEW.resourceType, 1);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER ResourceCountIncrement AFTER INSERT ON Resources
                    FOR EACH ROW EXECUTE FUNCTION ResourceCountIncrement();
                CREATE FUNCTION ResourceCountDecrement() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO GlobalIntegerDeltas VALUES (1 + OLD.resourceType, -1);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER ResourceCountDecrement AFTER DELETE ON Resources
                    FOR EACH ROW EXECUTE FUNCTION ResourceCountDecrement();
                """),
        // The commit order of the changes log (see ``sequenceChanges()``): each change keeps the ID of the
        // transaction that logged it, and gets its public number once every older transaction has finished.
        SchemaMigration(
            "imaging-v2-change-order",
            script: """
                ALTER TABLE Changes ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
                ALTER TABLE Changes ADD COLUMN publicSeq BIGINT;
                CREATE UNIQUE INDEX ChangesPublicSeq ON Changes(publicSeq);
                CREATE INDEX ChangesUnsequenced ON Changes(txid, seq) WHERE publicSeq IS NULL;
                """),
    ]

    /// Adds `delta` to a counter that the triggers do not maintain on their own, inside the caller's write.
    static func addToCounter(_ counter: GlobalInteger, _ delta: Int64, in database: any Connection) async throws {
        switch database.dialect {
        case .sqlite:
            try await database.execute(
                "UPDATE GlobalIntegers SET value = value + ? WHERE key = ?",
                [SQLValue(delta), SQLValue(counter.rawValue)])
        case .postgres:
            try await database.execute(
                "INSERT INTO GlobalIntegerDeltas VALUES (?, ?)", [SQLValue(counter.rawValue), SQLValue(delta)])
        }
    }

    /// Folds the counter deltas of a PostgreSQL index into one row per counter, so that reading the counters
    /// stays cheap however many instances were stored. Rows that concurrent writes add meanwhile are left for
    /// the next time; nothing is counted twice or lost, since the deletion and the sums are one statement.
    package func compactCounters() async throws {
        guard database.dialect == .postgres else { return }
        try await write { database in
            try await database.execute(
                """
                WITH folded AS (DELETE FROM GlobalIntegerDeltas RETURNING key, value)
                INSERT INTO GlobalIntegerDeltas SELECT key, CAST(SUM(value) AS BIGINT) FROM folded GROUP BY key
                """)
        }
    }
}
