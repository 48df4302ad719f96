import Foundation
package import GRDB
import Persistence

/// The SQLite index of the imaging server: resources keyed by Orthanc IDs, their main tags, identifiers,
/// metadata, attachments and labels, the changes log, the exports log and global counters.
///
/// One file in WAL mode: reads run concurrently with the single writer, and writes go through a
/// ``WriteBatcher`` so that concurrent uploads share one commit. `synchronous=FULL` makes each commit durable
/// before any caller is answered.
package final class ImagingIndex: Sendable {
    package let pool: DatabasePool
    package let batcher: WriteBatcher

    /// Opens (creating if needed) the index file at `path` and brings its schema up to date.
    package init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 8
        configuration.prepareDatabase { database in
            try database.execute(sql: "PRAGMA synchronous = FULL")
            try database.execute(sql: "PRAGMA recursive_triggers = ON")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
        batcher = WriteBatcher(writer: pool)
    }

    /// Runs a read-only closure on a reader connection.
    package func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    /// Runs a write in the next group commit.
    package func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await batcher.write(body)
    }
}
