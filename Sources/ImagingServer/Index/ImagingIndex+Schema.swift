import Persistence

extension ImagingIndex {
    /// Keys of `GlobalIntegers`: the total sizes, then one count per level.
    enum GlobalInteger: Int {
        case compressedSize = 0
        case uncompressedSize = 1
        // 2 to 5: resource counts, at 1 + ResourceLevel.rawValue.
    }

    /// The schema, as migrations. The tables follow the layout of Orthanc's SQLite index (schema 6) so that
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
}
